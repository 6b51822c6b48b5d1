from django.contrib.auth.models import AnonymousUser

from i2i.access import roles_for


def roles(request):
    """The roles the signed-in user holds, for the navigation. A request refused before
    the authentication middleware ran (a bad Host header) has no user: treat it as anonymous."""
    return {"roles": roles_for(getattr(request, "user", None) or AnonymousUser())}
