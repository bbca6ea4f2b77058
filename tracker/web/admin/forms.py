"""Forms for managing users."""

from wtforms import PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import ROLE_LABELS
from tracker.web.language import Form


class UserForm(Form):
    """A new account."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter the username.")),
                                                       Length(max=80)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name.")),
                                                         Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)
    password = PasswordField(_l("Initial password"), validators=[DataRequired(_l("Enter the password.")),
                                                                 Length(max=128)])
