"""allauth's sign-in and password pages, with messages that say what to do (as the rest of
the product's forms do) instead of "This field is required.".

Kept apart from `participants.forms`, which allauth imports for its sign-up form while
`allauth.account.forms` is still loading."""

from allauth.account import forms as allauth_forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from i2i.forms import OneLineValidator, PlainErrorsMixin, _one_line

# allauth's refusals of a sign-in, as the rest of the product words its messages: what to
# do, in plain words, without "and/or" or a full stop (GOV.UK).
SIGN_IN_REFUSALS = {
    "email_password_mismatch": "Enter a correct email address and password",
}


def _without_placeholders(form) -> None:
    """allauth repeats each label inside its box ("Email address", "Password"); the text
    disappears as a person types and is often taken for an answer already given, so GOV.UK
    and the NHS use none: the label above says it."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


def _reword_one_line(field) -> None:
    """The one-line check's message from the words set here ("Enter your email address
    without tabs…"), not from allauth's label, which the shared wording read first."""
    field.validators = [v for v in field.validators if not isinstance(v, OneLineValidator)]
    _one_line(field, str(field.label))


class LoginForm(PlainErrorsMixin, allauth_forms.LoginForm):
    """The sign-in form in sentence case ("Email address", "Remember me"). A wrong email
    address or password is one message about the whole form, which the error summary shows
    once and links to the email address box (`non_field_errors_field`,
    `templates/_error_summary.html`). "Forgot your password?" is a link under the form
    (`templates/account/login.html`), not a hint read out with the password box."""

    non_field_errors_field = "login"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["login"].error_messages["required"] = "Enter your email address"
        self.fields["login"].error_messages["invalid"] = (
            "Enter your email address in the right format, for example name@example.org"
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me"
        _reword_one_line(self.fields["login"])
        _without_placeholders(self)

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            plain = SIGN_IN_REFUSALS.get(error.code)
            if plain is None:
                raise
            raise ValidationError(plain, code=error.code) from error


class ResetPasswordForm(PlainErrorsMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter your email address in the right format, for example name@example.org"
        )
        _reword_one_line(self.fields["email"])
        _without_placeholders(self)


class ResetPasswordKeyForm(PlainErrorsMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].error_messages["required"] = "Enter a new password"
        self.fields["password2"].error_messages["required"] = "Enter the new password again"
        _without_placeholders(self)


class ReauthenticateForm(PlainErrorsMixin, allauth_forms.ReauthenticateForm):
    """Asked again for the password before a change to the account (two-factor
    authentication, email addresses): the hint under the label says why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password"]
        password.help_text = (
            "Enter your password again to continue. We ask before changes to your account."
        )
        password.error_messages["required"] = "Enter your password"
        _without_placeholders(self)

    def clean_password(self):
        try:
            return super().clean_password()
        except ValidationError as error:
            if error.code != "incorrect_password":
                raise
            raise ValidationError("Enter the password you sign in with", code=error.code) from error


class RequestLoginCodeForm(PlainErrorsMixin, allauth_forms.RequestLoginCodeForm):
    """Sign-in by an emailed code (host people have no password): the address to send it to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter your email address in the right format, for example name@example.org"
        )
        _reword_one_line(self.fields["email"])
        _without_placeholders(self)


class ConfirmLoginCodeForm(PlainErrorsMixin, allauth_forms.ConfirmLoginCodeForm):
    """The code from the email, refused in words that say what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "Sign-in code"
        code.help_text = "The code in the email we sent you."
        code.error_messages["required"] = "Enter the sign-in code from the email"
        _without_placeholders(self)

    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError as error:
            if error.code != "incorrect_code":
                raise
            raise ValidationError(
                "Enter the sign-in code from the latest email we sent you", code=error.code
            ) from error


class SignupForm(allauth_forms.SignupForm):
    """allauth answers a sign-up for an address that already has an account with the same
    page as for a new one (ACCOUNT_PREVENT_ENUMERATION), and emails the owner instead; but
    only a new account's password is hashed, which is most of the time the request takes
    (0.03 s against 0.5 s), so the time told whether an address had an account. The password
    is hashed either way, with the same hasher, and the hash thrown away."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_placeholders(self)

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
