# frozen_string_literal: false
module RSS
  # Byte counts for people, as enclosure lengths are shown: 1500 is "1.5 kB".
  module SizeFormat
    module_function

    UNITS = %w(B kB MB GB TB).freeze
    BINARY_UNITS = %w(B KiB MiB GiB TiB).freeze
    FACTORS = {
      "B" => 1,
      "kB" => 1000,
      "MB" => 1000**2,
      "GB" => 1000**3,
      "TB" => 1000**4,
      "KiB" => 1024,
      "MiB" => 1024**2,
      "GiB" => 1024**3,
      "TiB" => 1024**4,
    }.freeze

    def format_size(bytes, binary: false, precision: 1)
      if bytes.negative?
        raise ArgumentError, "negative size: #{bytes}"
      end
      if binary
        base = 1024
        units = BINARY_UNITS
      else
        base = 1000
        units = UNITS
      end
      value = bytes.to_f
      units[0..-2].each_with_index do |unit, i|
        if value < base
          if i.zero?
            return "#{bytes} #{unit}"
          end
          return format("%.#{precision}f %s", value, unit)
        end
        value /= base
      end
      format("%.#{precision}f %s", value, units[-1])
    end

    def parse_size(text)
      text = text.strip
      if text.empty?
        raise ArgumentError, "empty size"
      end
      number, unit = text.split(" ", 2)
      factor = FACTORS[unit]
      if factor.nil?
        raise ArgumentError, "unknown unit #{unit.inspect}"
      end
      (Float(number) * factor).to_i
    end
  end
end
