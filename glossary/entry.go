package glossary

// Mode says how a term is handled.
type Mode string

// The modes of a glossary entry.
const (
	Translate Mode = "translate" // translate the term as Target
	Keep      Mode = "keep"      // leave the term as it is in the source
)

// Entry is one glossary term: how Source (or one of its Aliases) must appear
// in a translation. Engines receive the entries that occur in a request.
type Entry struct {
	Source        string   // the source-language term
	Target        string   // the required target-language form
	Note          string   // guidance for translators and chat engines
	Mode          Mode     // Translate (default) or Keep
	Aliases       []string // other source spellings, e.g. traditional forms
	Forbidden     []string // target variants that must not appear
	CaseSensitive bool     // Latin source terms match case-sensitively
}
