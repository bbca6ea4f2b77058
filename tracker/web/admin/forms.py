"""Forms for managing users."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.domain.permissions import ROLE_LABELS


class UserForm(FlaskForm):
    """A new account."""

    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập."),
                                                        Length(max=80)])
    full_name = StringField("Họ và tên", validators=[DataRequired("Nhập họ và tên."), Length(max=200)])
    role = SelectField("Vai trò", choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    unit = SelectField("Đơn vị", choices=[], validate_choice=False)
    password = PasswordField("Mật khẩu ban đầu", validators=[DataRequired("Nhập mật khẩu."),
                                                             Length(max=128)])
