package glossary

import (
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The export formats.
const (
	FormatTSV       = "tsv"        // our own format; Parse reads it back
	FormatGoogleCSV = "csv-google" // Google Cloud Translation unidirectional glossary
	FormatTBX       = "tbx"        // TBX-Basic (TBX v3, ISO 30042:2019, DCA style)
)

// Formats lists the formats Export writes.
func Formats() []string { return []string{FormatTSV, FormatGoogleCSV, FormatTBX} }

// ErrFormat is returned for an unknown export format.
var ErrFormat = errors.New("glossary: unknown export format")

// ExportOptions are the settings of Export. A nil *ExportOptions means
// defaults.
type ExportOptions struct {
	// SourceLang and TargetLang are BCP 47 codes, required by the tbx
	// format. Google's glossary CSV has no place for them: its language
	// pair is given to CreateGlossary (languagePair.sourceLanguageCode and
	// targetLanguageCode), not written in the file.
	SourceLang, TargetLang string
}

// Export writes g in format (see [Formats]).
//
//   - tsv: a header line and one entry per line, the format Parse reads.
//   - csv-google: Google Cloud Translation's unidirectional glossary CSV: no
//     header, two columns, the first the source term and the second the
//     target term; one row per source spelling (aliases repeat the target),
//     and keep terms map to themselves. Notes, case and forbidden variants
//     have no place in it.
//   - tbx: a TBX-Basic document, one conceptEntry per entry, with a langSec
//     per language; the source term and the target are preferred terms,
//     aliases admitted terms, forbidden variants deprecated terms, and the
//     note (and "do not translate" for keep terms) a note.
func Export(w io.Writer, g *Glossary, format string, opts *ExportOptions) error {
	if opts == nil {
		opts = &ExportOptions{}
	}
	var err error
	switch format {
	case FormatTSV:
		err = exportTSV(w, g)
	case FormatGoogleCSV:
		err = exportGoogleCSV(w, g)
	case FormatTBX:
		err = exportTBX(w, g, opts)
	default:
		return fmt.Errorf("%w %q (want %s)", ErrFormat, format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return fmt.Errorf("glossary: export %s: %w", format, err)
	}
	return nil
}

func exportTSV(w io.Writer, g *Glossary) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(strings.Join(columns, "\t") + "\n")
	for _, e := range g.Terms() {
		for _, s := range append(e.Aliases, e.Forbidden...) {
			if strings.Contains(s, "|") {
				return fmt.Errorf("term %q: %q contains |, which tsv uses to separate list items", e.Source, s)
			}
		}
		cs := ""
		if e.CaseSensitive {
			cs = "sensitive"
		}
		mode := ""
		if modeOf(&e) == Keep {
			mode = string(Keep)
		}
		fields := []string{e.Source, e.Target, e.Note, cs, mode, strings.Join(e.Aliases, "|"), strings.Join(e.Forbidden, "|")}
		for i, f := range fields {
			fields[i] = tsvEscaper.Replace(f)
		}
		bw.WriteString(strings.TrimRight(strings.Join(fields, "\t"), "\t") + "\n")
	}
	return bw.Flush()
}

func exportGoogleCSV(w io.Writer, g *Glossary) error {
	cw := csv.NewWriter(w)
	for _, e := range g.Terms() {
		for _, sp := range spellings(&e) {
			t := e.Target
			if modeOf(&e) == Keep {
				t = sp
			}
			if err := cw.Write([]string{sp, t}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func exportTBX(w io.Writer, g *Glossary, opts *ExportOptions) error {
	if opts.SourceLang == "" || opts.TargetLang == "" {
		return errors.New("tbx needs the source and target language codes")
	}
	bw := bufio.NewWriter(w)
	p := func(indent int, format string, args ...any) {
		bw.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(bw, format, args...)
		bw.WriteByte('\n')
	}
	p(0, `<?xml version="1.0" encoding="UTF-8"?>`)
	p(0, `<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>`)
	p(0, `<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>`)
	p(0, `<tbx style="dca" type="TBX-Basic" xml:lang="%s" xmlns="urn:iso:std:iso:30042:ed-2">`, esc(opts.SourceLang))
	p(1, "<tbxHeader>")
	p(2, "<fileDesc>")
	p(3, "<sourceDesc>")
	p(4, "<p>exported by diglot</p>")
	p(3, "</sourceDesc>")
	p(2, "</fileDesc>")
	p(1, "</tbxHeader>")
	p(1, "<text>")
	p(2, "<body>")
	term := func(t, status string) {
		p(5, "<termSec>")
		p(6, "<term>%s</term>", esc(t))
		p(6, `<termNote type="administrativeStatus">%s</termNote>`, status)
		p(5, "</termSec>")
	}
	for i, e := range g.Terms() {
		p(3, `<conceptEntry id="c%d">`, i+1)
		note := e.Note
		if modeOf(&e) == Keep {
			note = strings.TrimSpace("Do not translate. " + note)
		}
		if note != "" {
			p(4, "<note>%s</note>", esc(note))
		}
		p(4, `<langSec xml:lang="%s">`, esc(opts.SourceLang))
		term(e.Source, "preferredTerm-admn-sts")
		for _, a := range e.Aliases {
			term(a, "admittedTerm-admn-sts")
		}
		p(4, "</langSec>")
		p(4, `<langSec xml:lang="%s">`, esc(opts.TargetLang))
		term(e.Target, "preferredTerm-admn-sts")
		for _, f := range e.Forbidden {
			term(f, "deprecatedTerm-admn-sts")
		}
		p(4, "</langSec>")
		p(3, "</conceptEntry>")
	}
	p(2, "</body>")
	p(1, "</text>")
	p(0, "</tbx>")
	return bw.Flush()
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
