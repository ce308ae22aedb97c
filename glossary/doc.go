// Package glossary loads, matches, enforces and verifies names and terms.
package glossary
