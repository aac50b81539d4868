# SimpleCov's own merge of several .resultset.json files (SimpleCov.collate), printed as
# simplecov_run.rb prints a run.     ruby collate.rb OUTDIR A/.resultset.json B/.resultset.json
require "simplecov"
require_relative "console_summary"

out, *files = ARGV
SimpleCov.collate(files) do
  coverage_dir out
  enable_coverage :branch
  add_filter "/test/"
  formatter ConsoleSummary
end
