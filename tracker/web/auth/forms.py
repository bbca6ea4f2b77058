"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[
        DataRequired(_l("Enter the username.")), Length(max=80, message=_l("The username is too long."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter the password.")), Length(max=128, message=_l("The password is too long."))])


class PasswordForm(FlaskForm):
    """Current password, new password twice."""

    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter the current password.")), Length(max=128)])
    password = PasswordField(_l("New password (at least 8 characters)"), validators=[
        DataRequired(_l("Enter the new password.")),
        Length(max=128, message=_l("The password is longer than 128 characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password again.")),
        EqualTo("password", message=_l("The two entries do not match."))])
