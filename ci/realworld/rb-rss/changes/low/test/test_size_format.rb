# frozen_string_literal: false
require_relative "rss-testcase"
require "rss/size_format"

module RSS
  class TestSizeFormat < TestCase
    def test_format_size
      assert_equal("512 B", SizeFormat.format_size(512))
      assert_equal("1.5 kB", SizeFormat.format_size(1500))
    end
  end
end
