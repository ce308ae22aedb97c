package zhnum

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"三", 3, true}, {"十", 10, true}, {"十二", 12, true}, {"二十五", 25, true},
		{"一百零五", 105, true}, {"三万五千", 35000, true}, {"一万亿", 1e12, true},
		{"十四亿", 1.4e9, true}, {"两千万", 2e7, true}, {"五四", 0, false}, {"一五一十", 0, false},
		{"千万", 0, false}, {"万", 0, false},
	}
	for _, tt := range tests {
		got, ok := Parse([]rune(tt.in))
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("Parse(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
