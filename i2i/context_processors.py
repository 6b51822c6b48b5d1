from django.contrib.auth.models import AnonymousUser

from i2i import access


def roles(request):
    """The roles the signed-in user holds, and which of the pages in the navigation they may
    open (`nav`), decided by `i2i.access` so that the template decides nothing. A request
    refused before the authentication middleware ran (a bad Host header) has no user: treat
    it as anonymous."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "roles": access.roles_for(user),
        "nav": {
            "can_see_notifications_sent": access.can_see_notifications_sent(user),
            "can_read_audit": access.can_read_audit(user),
            "can_use_admin": access.can_use_admin(user),
        },
    }
