"""Sign-in form."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Tên đăng nhập", validators=[
        DataRequired("Nhập tên đăng nhập."), Length(max=80, message="Tên đăng nhập quá dài.")])
    password = PasswordField("Mật khẩu", validators=[
        DataRequired("Nhập mật khẩu."), Length(max=128, message="Mật khẩu quá dài.")])


class PasswordForm(FlaskForm):
    """Current password, new password twice."""

    current = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Nhập mật khẩu hiện tại."),
                                                             Length(max=128)])
    password = PasswordField("Mật khẩu mới (ít nhất 8 ký tự)", validators=[
        DataRequired("Nhập mật khẩu mới."), Length(max=128, message="Mật khẩu dài quá 128 ký tự.")])
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[
        DataRequired("Nhập lại mật khẩu mới."), EqualTo("password", message="Hai lần nhập không khớp.")])
