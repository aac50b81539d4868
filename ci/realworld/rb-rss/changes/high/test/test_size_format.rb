# frozen_string_literal: false
require_relative "rss-testcase"
require "rss/size_format"

module RSS
  class TestSizeFormat < TestCase
    def test_format_size
      assert_equal("512 B", SizeFormat.format_size(512))
      assert_equal("1.5 kB", SizeFormat.format_size(1500))
      assert_equal("1.5 KiB", SizeFormat.format_size(1536, binary: true))
      assert_equal("3000.0 TB", SizeFormat.format_size(3 * 1000**5))
      assert_raise(ArgumentError) { SizeFormat.format_size(-1) }
    end

    def test_parse_size
      assert_equal(512, SizeFormat.parse_size("512 B"))
      assert_equal(1500, SizeFormat.parse_size("1.5 kB"))
      assert_equal(1536, SizeFormat.parse_size("1.5 KiB"))
      assert_raise(ArgumentError) { SizeFormat.parse_size("3 parsecs") }
    end
  end
end
