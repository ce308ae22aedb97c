package qa

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pelletier/go-toml/v2"
)

func TestConfigTOML(t *testing.T) {
	const doc = `
[qa]
strict = true
disable = ["length", "numbers"]
length_min = 1.5
length_max = 5.0
`
	var file struct {
		QA *Config `toml:"qa"`
	}
	dec := toml.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		t.Fatal(err)
	}
	want := &Config{Strict: true, Disable: []string{"length", "numbers"}, LengthMin: 1.5, LengthMax: 5}
	if diff := cmp.Diff(want, file.QA, cmpopts.IgnoreFields(Config{}, "Glossary")); diff != "" {
		t.Errorf("decoded [qa] (-want +got):\n%s", diff)
	}
	if err := file.QA.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	dec = toml.NewDecoder(strings.NewReader("[qa]\nstrictt = true\n"))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err == nil {
		t.Errorf("unknown key in [qa] decoded without error")
	}
}
