"""Sign-in, password and language forms."""

from wtforms import PasswordField, RadioField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.domain.i18n import lazy_gettext as _l
from tracker.web.language import LANGUAGE_NAMES, Form


class LoginForm(Form):
    """Username and password."""

    username = StringField(_l("Username"), validators=[
        DataRequired(_l("Enter the username.")), Length(max=80, message=_l("The username is too long."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter the password.")), Length(max=128, message=_l("The password is too long."))])


class PasswordForm(Form):
    """Current password, new password twice."""

    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter the current password.")), Length(max=128)])
    password = PasswordField(_l("New password (at least 8 characters)"), validators=[
        DataRequired(_l("Enter the new password.")),
        Length(max=128, message=_l("The password is longer than 128 characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password again.")),
        EqualTo("password", message=_l("The two entries do not match."))])


class LanguageForm(Form):
    """The interface language of the account; each language named in itself."""

    language = RadioField(_l("Interface language"),
                          choices=[SelectChoice(k, v) for k, v in LANGUAGE_NAMES.items()],
                          validators=[DataRequired(_l("Choose a language from the list."))])
