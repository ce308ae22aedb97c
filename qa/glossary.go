package qa

// checkGlossary turns the violations that cfg.Glossary reports into
// findings. It returns nil when no hook is set.
func checkGlossary(cfg *Config, src, tgt string) []Finding {
	if cfg == nil || cfg.Glossary == nil {
		return nil
	}
	var fs []Finding
	for _, m := range cfg.Glossary(src, tgt) {
		fs = append(fs, Finding{Kind: KindGlossary, Severity: Error, Message: m})
	}
	return fs
}
