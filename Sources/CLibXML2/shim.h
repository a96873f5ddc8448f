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
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>

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

/* The strict parse of a feed whose CDATA sections' content was taken out (FeedParsing's
   CDATASections, which says why): libxml2 reads "<![CDATA[]]>" and this callback hands the
   tree builder each section's real bytes, as the parse of the whole feed with
   XML_PARSE_NOCDATA hands them over (as characters). */
typedef struct {
    const xmlChar *original;   /* the feed's bytes */
    const long *sections;      /* per section: content start in the feed, length (-1: left in place), end in the stripped bytes */
    long count;
    long next;
    int mismatch;              /* libxml2 met a section where the scan saw none: the result is thrown away */
} gz_cdata_map;

static void gz_cdata_block(void *ctx, const xmlChar *value, int len) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    gz_cdata_map *map = (gz_cdata_map *)ctxt->_private;
    xmlParserInputPtr input = ctxt->input;
    /* Where libxml2 stands now (just past the section's "]]>") must be where the scan put its end. */
    if (map == NULL || map->mismatch || map->next >= map->count || input == NULL
        || (long)input->consumed + (long)(input->cur - input->base) != map->sections[3 * map->next + 2]) {
        if (map != NULL) map->mismatch = 1;
        xmlStopParser(ctxt);
        return;
    }
    const long *section = map->sections + 3 * map->next;
    map->next += 1;
    if (section[1] < 0)
        xmlSAX2Characters(ctx, value, len);
    else if (len != 0) {
        map->mismatch = 1;
        xmlStopParser(ctxt);
    } else
        xmlSAX2Characters(ctx, map->original + section[0], (int)section[1]);
}

/* xmlReadMemory (libxml2 2.9's xmlDoRead, step by step) with gz_cdata_block reading CDATA.
   Without XML_PARSE_NOCDATA in `options`, which would switch the callback off. */
static inline xmlDocPtr gz_read_memory_restoring_cdata(const char *buffer, int size, const char *URL,
                                                       const char *encoding, int options, gz_cdata_map *map) {
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return NULL;
    if (encoding != NULL) {
        if (ctxt->encoding != NULL) xmlFree((xmlChar *)ctxt->encoding);
        ctxt->encoding = xmlStrdup((const xmlChar *)encoding);
    }
    xmlCtxtUseOptions(ctxt, options);
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) xmlSwitchToEncoding(ctxt, handler);
    }
    if (URL != NULL && ctxt->input != NULL && ctxt->input->filename == NULL)
        ctxt->input->filename = (char *)xmlStrdup((const xmlChar *)URL);
    ctxt->sax->cdataBlock = gz_cdata_block;
    ctxt->_private = map;
    xmlParseDocument(ctxt);
    xmlDocPtr result = NULL;
    if (ctxt->wellFormed && !map->mismatch && map->next == map->count)
        result = ctxt->myDoc;
    else if (ctxt->myDoc != NULL)
        xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = NULL;
    if (ctxt->dictNames && result != NULL && result->dict == ctxt->dict) ctxt->dict = NULL;
    ctxt->_private = NULL;
    xmlFreeParserCtxt(ctxt);
    return result;
}

#endif
