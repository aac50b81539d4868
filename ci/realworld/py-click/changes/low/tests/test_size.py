from click.utils import format_size


def test_format_size_bytes():
    assert format_size(512) == "512 B"


def test_format_size_kilobytes():
    assert format_size(1500) == "1.5 kB"
