from django.contrib.auth.models import AnonymousUser

from i2i import access


def roles(request):
    """The roles the signed-in user holds, and which of the pages in the navigation they may
    open (`nav`), decided by `i2i.access` so that the template decides nothing. A request
    refused before the authentication middleware ran (a bad Host header) has no user: treat
    it as anonymous."""
    user = getattr(request, "user", None) or AnonymousUser()
    nav = {
        "can_see_expressions_of_interest": access.can_see_expressions_of_interest(user),
        "can_see_notifications_sent": access.can_see_notifications_sent(user),
        "can_read_audit": access.can_read_audit(user),
        "can_use_admin": access.can_use_admin(user),
    }
    # The programme manager's own pages sit in one "Programme" menu, so that the bar keeps
    # to one line.
    nav["programme_menu"] = (
        nav["can_see_notifications_sent"] or nav["can_read_audit"] or nav["can_use_admin"]
    )
    return {"roles": access.roles_for(user), "nav": nav}
