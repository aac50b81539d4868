# Prints SimpleCov's result in the shape SimpleCov 0.22's newer HTML formatter prints it
# ("Line Coverage: 90.8% (4362 / 4804)", "Branch Coverage: …"): the figures are SimpleCov's own
# (SimpleCov::Result#coverage_statistics); Debian's simplecov-html 0.12.3 prints only the line one.
class ConsoleSummary
  def format(result)
    stats = result.coverage_statistics
    line = stats[:line]
    puts "Line Coverage: #{line.percent.round(2)}% (#{line.covered} / #{line.total})"
    branch = stats[:branch]
    puts "Branch Coverage: #{branch.percent.round(2)}% (#{branch.covered} / #{branch.total})" if branch
  end
end
