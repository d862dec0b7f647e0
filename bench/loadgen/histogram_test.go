package main

import (
	"math"
	"testing"
)

func TestBucketsRoundTrip(t *testing.T) {
	for _, us := range []int64{0, 1, 63, 64, 65, 127, 128, 1000, 999_999, 21_000_000, 600_000_000} {
		b := bucketOf(us)
		lo, next := lowerBound(b), lowerBound(b+1)
		if us < lo || us >= next {
			t.Fatalf("%d µs in bucket %d, which holds [%d, %d)", us, b, lo, next)
		}
		if us >= 64 && float64(next-lo)/float64(lo) > 1.0/64+1e-9 {
			t.Fatalf("bucket %d is %d..%d: wider than 1/64", b, lo, next)
		}
	}
}

func TestPercentiles(t *testing.T) {
	var h histogram
	// 1..10,000 ms, one each: p50 5,000 ms, p99 9,900 ms.
	for ms := int64(1); ms <= 10_000; ms++ {
		h.add(int(ms), ms*1000)
	}
	s := h.summary()
	if s.Count != 10_000 || s.Max != 10_000 {
		t.Fatalf("count %d max %v", s.Count, s.Max)
	}
	for _, c := range []struct{ got, want float64 }{{s.P50, 5000}, {s.P95, 9500}, {s.P99, 9900}} {
		if math.Abs(c.got-c.want)/c.want > 0.02 {
			t.Fatalf("percentile %v, want %v within 2%%", c.got, c.want)
		}
	}
}
