from django.core.management.base import BaseCommand

from devdata.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create (or refresh) a fictional demo partnership and print its logins."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo partnership ready. Sign in with:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<18} {login.email:<48} ({login.name})")
        self.stdout.write(f"  Password for every demo login: {DEMO_PASSWORD}")
