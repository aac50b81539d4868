from html.parser import HTMLParser
from pathlib import Path

from authsvc import web


class Tags(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.text = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

    def all(self, tag):
        return [a for t, a in self.tags if t == tag]


def test_every_input_has_a_label():
    tags = Tags(web.login_form())
    labelled = {a["for"] for a in tags.all("label")}
    assert {a["id"] for a in tags.all("input")} == labelled == {"email", "password"}


def test_fields_have_types_and_autocomplete():
    inputs = {a["id"]: a for a in Tags(web.login_form()).all("input")}
    assert inputs["email"]["type"] == "email"
    assert inputs["password"]["type"] == "password"
    assert inputs["password"]["autocomplete"] == "current-password"


def test_form_posts_to_the_login_endpoint():
    (form,) = Tags(web.login_form()).all("form")
    assert form == {"method": "post", "action": "/auth/login"}


def test_error_is_announced_and_escaped():
    tags = Tags(web.login_form(error="<b>wrong</b> password"))
    (alert,) = [a for a in tags.all("p") if a.get("role") == "alert"]
    assert alert["id"] == "login-error"
    assert "<b>wrong</b> password" in tags.text


def test_page_has_language_title_and_landmark():
    tags = Tags(web.page(web.login_form()))
    assert tags.all("html") == [{"lang": "en"}]
    assert "Log in" in tags.text
    assert len(tags.all("main")) == 1


def test_static_page_is_the_rendered_one():
    static = Path(__file__).resolve().parent.parent / "web" / "login.html"
    assert static.read_text() == web.page(web.login_form())
