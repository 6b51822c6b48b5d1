from i2i.access import roles_for


def roles(request):
    """The roles the signed-in user holds, for the navigation."""
    return {"roles": roles_for(request.user)}
