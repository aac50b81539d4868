// Copyright 2024, The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cmpopts

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// FormatSize formats a byte count for people: 1500 is "1.5 kB",
// or with binary set, 1536 is "1.5 KiB".
func FormatSize(n int64, binary bool) (string, error) {
	if n < 0 {
		return "", errors.New("cmpopts: negative size")
	}
	base := 1000.0
	units := []string{"B", "kB", "MB", "GB", "TB"}
	if binary {
		base = 1024.0
		units = []string{"B", "KiB", "MiB", "GiB", "TiB"}
	}
	v := float64(n)
	for i, u := range units[:len(units)-1] {
		if v < base {
			if i == 0 {
				return fmt.Sprintf("%d %s", n, u), nil
			}
			return fmt.Sprintf("%.1f %s", v, u), nil
		}
		v /= base
	}
	return fmt.Sprintf("%.1f %s", v, units[len(units)-1]), nil
}

// ParseSize reads back what FormatSize writes: "1.5 kB" is 1500.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("cmpopts: empty size")
	}
	num, unit, ok := strings.Cut(s, " ")
	if !ok {
		return 0, fmt.Errorf("cmpopts: no unit in %q", s)
	}
	factors := map[string]float64{
		"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
		"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
	}
	f, known := factors[unit]
	if !known {
		return 0, fmt.Errorf("cmpopts: unknown unit %q", unit)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, err
	}
	return int64(v * f), nil
}
