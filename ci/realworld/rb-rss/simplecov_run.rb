# The SimpleCov set-up of the real-world suite: start SimpleCov (lines and branches) before rss is
# loaded, then run rss's own test runner (test/run-test.rb, test-unit) with the given arguments.
#
#   ruby simplecov_run.rb [test-unit options]      (in the project's root)
#
# SIMPLECOV_COMMAND_NAME names the suite (several suites in one coverage dir are merged by
# SimpleCov), SIMPLECOV_DIR is the coverage dir. Besides simplecov-html's own line, the summary of
# SimpleCov's result is printed in the shape SimpleCov 0.22's newer HTML formatter prints it
# ("Line Coverage: 90.8% (4362 / 4804)", "Branch Coverage: …"): Debian's simplecov-html 0.12.3
# prints only the line figure.
require "simplecov"

require_relative "console_summary"

SimpleCov.command_name ENV.fetch("SIMPLECOV_COMMAND_NAME", "Unit Tests")
SimpleCov.coverage_dir ENV.fetch("SIMPLECOV_DIR", "coverage")
SimpleCov.formatters = [SimpleCov::Formatter::HTMLFormatter, ConsoleSummary]
SimpleCov.start do
  enable_coverage :branch
  add_filter "/test/"
end

load File.join(Dir.pwd, "test", "run-test.rb")
