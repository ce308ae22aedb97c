// Package all registers every engine diglot ships. Import it for its side
// effects, as cmd/diglot does:
//
//	import _ "github.com/diglot/diglot/providers/all"
package all

import (
	// Engines register themselves in init.
	_ "github.com/diglot/diglot/providers/googletranslate"
	_ "github.com/diglot/diglot/providers/googletranslate/googlebasic"
	_ "github.com/diglot/diglot/providers/identity"
	_ "github.com/diglot/diglot/providers/openaichat"
	_ "github.com/diglot/diglot/providers/pseudo"
)
