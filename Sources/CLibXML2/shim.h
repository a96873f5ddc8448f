#ifndef GAZETTE_CLIBXML2_SHIM_H
#define GAZETTE_CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU, whose headers clash with the copy of ICU inside
   Foundation. Gazette never touches the encoding handler's ICU fields (it only passes
   pointers to libxml2), so the ICU parts of the headers are switched off. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/* A no-op structured error handler: libxml2 otherwise prints every recoverable
   error of a sloppy feed to stderr. Errors we care about are read back with
   xmlCtxtGetLastError / the document's absence instead. */
static void gz_xml_silent_error(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }

static void gz_xml_silent_generic_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* libxml2 keeps its error handlers per thread: call this on the parsing thread. */
static inline void gz_xml_silence_errors(void) {
    xmlSetStructuredErrorFunc(NULL, gz_xml_silent_error);
    xmlSetGenericErrorFunc(NULL, gz_xml_silent_generic_error);
}

/* xmlFree is a global function pointer; Swift 6 treats C globals as unsafe shared state. */
static inline void gz_xml_free(void *p) { xmlFree(p); }

/* The nodes an XPath result holds; 0 for a result that is not a node set. */
static inline int gz_xpath_node_count(xmlXPathObjectPtr result) {
    return (result && result->type == XPATH_NODESET && result->nodesetval) ? result->nodesetval->nodeNr : 0;
}
static inline xmlNodePtr gz_xpath_node_at(xmlXPathObjectPtr result, int index) {
    return result->nodesetval->nodeTab[index];
}

#endif
