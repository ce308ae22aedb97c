package xmltext

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestTextAndSkip(t *testing.T) {
	d := xml.NewDecoder(strings.NewReader(`<r><a>one <b>nested</b> two</a><c><d/>x</c><e/></r>`))
	next := d.Token
	open := func(want string) {
		t.Helper()
		for {
			tok, err := next()
			if err != nil {
				t.Fatal(err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				if se.Name.Local != want {
					t.Fatalf("element %s, want %s", se.Name.Local, want)
				}
				return
			}
		}
	}
	open("r")
	open("a")
	if got, err := Text(next); err != nil || got != "one  two" {
		t.Errorf("Text = %q, %v; want %q", got, err, "one  two")
	}
	open("c")
	if err := Skip(next); err != nil {
		t.Fatal(err)
	}
	open("e") // Skip left the decoder after </c>
	if err := Skip(next); err != nil {
		t.Fatal(err)
	}
	// The rest of <r> has no text of its own, and nothing follows it.
	if got, err := Text(next); err != nil || got != "" {
		t.Errorf("Text of the rest of r = %q, %v", got, err)
	}
	if _, err := next(); err == nil {
		t.Error("tokens after the root")
	}
}
