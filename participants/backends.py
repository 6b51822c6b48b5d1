"""The programme manager's power tasks run in the Django admin."""

from django.contrib.auth.backends import BaseBackend

# The apps whose records the programme manager looks after in the admin.
PROGRAMME_APPS = {"participants", "placements", "reflections", "improvements"}


class ProgrammeManagerBackend(BaseBackend):
    """Grants a programme manager every permission on the programme's own records,
    so that the role is one flag rather than a hand-kept list of permissions."""

    def has_perm(self, user_obj, perm, obj=None):
        if not (user_obj.is_active and getattr(user_obj, "is_programme_manager", False)):
            return False
        return perm.split(".", 1)[0] in PROGRAMME_APPS

    def has_module_perms(self, user_obj, app_label):
        if not (user_obj.is_active and getattr(user_obj, "is_programme_manager", False)):
            return False
        return app_label in PROGRAMME_APPS
