// Package pipeline runs diglot's stages over files: it translates Markdown
// articles into aligned bilingual files ([Translate]), publishes bilingual
// files as documents ([Publish]), checks them ([Check]) and imports
// reviewers' edits into a translation memory ([ImportReviews]). The CLI is
// one client of it; every command is a call here.
//
// # Stages
//
// A translation run reads, segments, looks up, translates, validates,
// assembles and writes, in that order, for each file:
//
//   - Readers read each input ([ReadSource]: encodings, size and binary
//     checks), segment it (package markdown), read its previous output once
//     (package out) and prepare each segment's request: its key ([Key]), its
//     glossary terms protected or listed, its size in the engine's units.
//     They work ahead of the rest, in input order.
//   - The coordinator admits prepared files into a window of at most
//     Options.ChunkFiles open files, gives each segment the run's unit for
//     its key (the same paragraph in two files is one unit), resolves new
//     units from the translation memory in one batched lookup per group of
//     files, and from the previous output when it was written by the same
//     engine and model, and packs what is left into requests within the
//     engine's limits. Units longer than one request may carry are cut at
//     sentences, then clauses, then spaces, then anywhere.
//   - Workers send requests, paced by the engine's rate limits and an
//     adaptive concurrency limit that halves on 429; they retry what
//     failed for a passing reason, split what the engine could not take,
//     and check every result (tags intact, no leaked model text, no echo,
//     reads back as the same Markdown) before returning it.
//   - The coordinator stores accepted results in the memory before anything
//     uses them, then queues each file whose last unit is resolved. A
//     memory that still cannot store them after two more tries stops the
//     run, as an engine's permanent error does ([ErrMemoryUnavailable]).
//   - Writers assemble a file's targets, run the QA checks (package qa) and
//     write the bilingual file atomically, unless the output already says
//     the same or a reviewer saved it during the run.
//
// # One owner
//
// Readers, workers and writers talk to the coordinator over channels; only
// the coordinator's goroutine changes units, open files, the report and the
// memory. Memory is the window of open files plus the keys seen: a unit is
// dropped when the last open file using it is written. A file whose source
// and output are as the previous run left them is recognised from the run
// state kept in the output directory, without being parsed.
//
// # Provenance
//
// Every machine translation is stored with its origin, "engine:model". A
// run reuses reviewed translations always, and machine translations only
// of its own engine and model unless Options.Reuse says [ReuseAny]. The
// synthetic engines (copy, pseudo) store nothing and reuse no machine
// translation. A translation the run rejected is never stored.
//
// # Shared memories
//
// When the memory is shared with other runs (tm.Claimer: an SQLite file on
// one machine, PostgreSQL across machines) a run claims the segments it
// would send and waits for the others' translations of the rest, so each
// unique segment is paid for once; a run that dies gives its claims back.
package pipeline
