import pytest

from click.utils import format_size
from click.utils import parse_size


@pytest.mark.parametrize(
    ("num_bytes", "binary", "expect"),
    [
        (512, False, "512 B"),
        (1500, False, "1.5 kB"),
        (1536, True, "1.5 KiB"),
        (3 * 1000**5, False, "3000.0 TB"),
    ],
)
def test_format_size(num_bytes, binary, expect):
    assert format_size(num_bytes, binary=binary) == expect


def test_format_size_negative():
    with pytest.raises(ValueError):
        format_size(-1)


@pytest.mark.parametrize(
    ("text", "expect"), [("512 B", 512), ("1.5 kB", 1500), ("1.5 KiB", 1536)]
)
def test_parse_size(text, expect):
    assert parse_size(text) == expect


def test_parse_size_unknown_unit():
    with pytest.raises(ValueError):
        parse_size("3 parsecs")
