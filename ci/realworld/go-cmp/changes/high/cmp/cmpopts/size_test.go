// Copyright 2024, The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cmpopts

import "testing"

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n      int64
		binary bool
		want   string
	}{
		{512, false, "512 B"},
		{1500, false, "1.5 kB"},
		{1536, true, "1.5 KiB"},
		{3e15, false, "3000.0 TB"},
	}
	for _, tt := range tests {
		if got, err := FormatSize(tt.n, tt.binary); err != nil || got != tt.want {
			t.Errorf("FormatSize(%d, %v) = %q, %v; want %q", tt.n, tt.binary, got, err, tt.want)
		}
	}
	if _, err := FormatSize(-1, false); err == nil {
		t.Error("FormatSize(-1): no error")
	}
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int64{"512 B": 512, "1.5 kB": 1500, "1.5 KiB": 1536} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "12", "3 parsecs", "x B"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q): no error", s)
		}
	}
}
