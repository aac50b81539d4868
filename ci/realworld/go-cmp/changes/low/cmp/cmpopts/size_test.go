// Copyright 2024, The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cmpopts

import "testing"

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{512: "512 B", 1500: "1.5 kB"} {
		if got, err := FormatSize(n, false); err != nil || got != want {
			t.Errorf("FormatSize(%d) = %q, %v; want %q", n, got, err, want)
		}
	}
}
