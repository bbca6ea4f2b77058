"""The forms that create accounts, shared by a commune's and a province's user administration."""

from wtforms import PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.domain.i18n import lazy_gettext as _l
from tracker.domain.permissions import PROVINCE_ROLES, ROLE_LABELS
from tracker.web.language import Form


class UserForm(Form):
    """A new account of a commune."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter the username.")),
                                                       Length(max=80)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name.")),
                                                         Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)
    password = PasswordField(_l("Initial password"), validators=[DataRequired(_l("Enter the password.")),
                                                                 Length(max=128)])


class ProvinceUserForm(UserForm):
    """A new account of the province: a leader, secretary or admin, with no unit."""

    role = SelectField(_l("Role"), choices=[SelectChoice(k, ROLE_LABELS[k]) for k in PROVINCE_ROLES])
    unit = None


class CommuneAdminForm(UserForm):
    """A new admin account for a commune of the province (the commune's admin then makes the rest)."""

    role = None
    unit = None
    # Not checked against the list: a commune of another province is a refusal (403), not a typo.
    commune = SelectField(_l("Commune"), choices=[], validate_choice=False)
