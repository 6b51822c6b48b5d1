"""allauth's sign-in and password pages, with messages that say what to do (as the rest of
the product's forms do) instead of "This field is required.".

Kept apart from `participants.forms`, which allauth imports for its sign-up form while
`allauth.account.forms` is still loading."""

from allauth.account import forms as allauth_forms
from django.contrib.auth.hashers import make_password

from i2i.forms import PlainErrorsMixin


class LoginForm(PlainErrorsMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


class ResetPasswordForm(PlainErrorsMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"


class ResetPasswordKeyForm(PlainErrorsMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].error_messages["required"] = "Enter a new password"
        self.fields["password2"].error_messages["required"] = "Enter the new password again"


class SignupForm(allauth_forms.SignupForm):
    """allauth answers a sign-up for an address that already has an account with the same
    page as for a new one (ACCOUNT_PREVENT_ENUMERATION), and emails the owner instead; but
    only a new account's password is hashed, which is most of the time the request takes
    (0.03 s against 0.5 s), so the time told whether an address had an account. The password
    is hashed either way, with the same hasher, and the hash thrown away."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
