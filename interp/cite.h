/*
 * cite.h - the documents a rule set declares, and the citations of them.
 *
 * A rule set declares each policy document it encodes once
 * (`document eu_2015_2446 : regulation { title: "...", ... }`) and cites it
 * with a pinpoint and the words quoted
 * (`source eu_2015_2446 "Annex 22-03, chapter 62": "Manufacture from fabric"`).
 * After the checker has typed every declaration, cite_check resolves each
 * citation to its document and reports: an undeclared document (error), a
 * law or regulation cited without a pinpoint (warning), and a quote whose
 * figure the cited value no longer has (warning).
 */
#ifndef EDICT_CITE_H
#define EDICT_CITE_H

#include "program.h"

/* The kinds a document may have, in the order the site lists them. */
#define CITE_KINDS(X) X(law) X(regulation) X(agreement) X(guidance) X(commentary)

void cite_check(Program *p, Diags *d);

/* A citation as explanations and the site print it: a plain one in quotes
 * ("Task 4: ..."), a document citation as title, pinpoint and quote:
 * Commission Delegated Regulation (EU) 2015/2446, Annex 22-03: "Manufacture from fabric". */
const char *cite_text(const Citation *c);

/* A document's field (title, issuer, date, version, reference) as text, or NULL. */
const char *cite_doc_field(const Decl *doc, const char *field);

/* Every citation of the rule set, with the declaration and (for a case,
 * row or dated value) the case it is written on, in file order. */
typedef void (*CiteVisit)(Citation *c, Decl *owner, Case *kase, void *arg);
void cite_each(const Program *p, CiteVisit fn, void *arg);

#endif
