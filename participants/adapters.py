"""allauth hooks: its emails (verification, password reset) go through Celery."""

from allauth.account.adapter import DefaultAccountAdapter

from i2i.emails import send_later


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        send_later(message)
