"""Phase 3 (frontend): the login form, labelled for screen readers, with its page."""
from html import escape

# (name, label, input type, autocomplete token)
FIELDS = (
    ("email", "Email", "email", "username"),
    ("password", "Password", "password", "current-password"),
)


def login_form(action="/auth/login", error=None):
    """The form that posts email and password to the login endpoint."""
    lines = [f'<form method="post" action="{escape(action)}">']
    for name, label, kind, autocomplete in FIELDS:
        lines.append(f'  <label for="{name}">{label}</label>')
        lines.append(
            f'  <input id="{name}" name="{name}" type="{kind}" autocomplete="{autocomplete}" required>'
        )
    if error:
        lines.append(f'  <p role="alert" id="login-error">{escape(error)}</p>')
    lines.append('  <button type="submit">Log in</button>')
    lines.append("</form>")
    return "\n".join(lines) + "\n"


# The hint's colour: 2.3:1 on white (the first attempt).
HINT_COLOUR = "#aaaaaa"


def page(form):
    """A whole page around `form`: language, title, one heading, a main landmark, a hint."""
    body = "".join(f"    {line}\n" for line in form.splitlines())
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>Log in</title>\n  <style>.hint {{ color: {HINT_COLOUR}; }}</style>\n</head>\n"
        "<body>\n  <main>\n    <h1>Log in</h1>\n"
        f'{body}    <p class="hint">Forgot your password? Ask an administrator.</p>\n'
        "  </main>\n</body>\n</html>\n"
    )


if __name__ == "__main__":
    print(page(login_form()), end="")
