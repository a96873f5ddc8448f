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
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Byte scans over a whole feed, sixteen bytes at a time where SSE2 is there (every x86-64):
   Swift's SIMD types compiled these compares to a loop over the lanes. Each returns how many
   leading bytes are plain, reading whole blocks of sixteen: up to the first byte that is not,
   or to the end of the last whole block; the caller reads on from there one by one.
   Without SSE2 they return 0 and the callers' word-at-a-time loops do all the work. */

/* Bytes none of which is a control character (below 0x20), `]` or 0xEF: CDATA content that
   FeedParsing's CDATASections need not look at. */
static inline long gz_cdata_plain_prefix(const unsigned char *bytes, long count) {
    long index = 0;
#if defined(__SSE2__)
    const __m128i bracket = _mm_set1_epi8(0x5D), ef = _mm_set1_epi8((char)0xEF), control = _mm_set1_epi8(0x1F);
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i below = _mm_cmpeq_epi8(_mm_min_epu8(v, control), v); /* v <= 0x1F, unsigned */
        __m128i hit = _mm_or_si128(below, _mm_or_si128(_mm_cmpeq_epi8(v, bracket), _mm_cmpeq_epi8(v, ef)));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return index + __builtin_ctz((unsigned)mask);
    }
#else
    (void)bytes;
    (void)count;
#endif
    return index;
}

/* ASCII bytes (top bit clear). */
static inline long gz_ascii_prefix(const unsigned char *bytes, long count) {
    long index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        int mask = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(bytes + index)));
        if (mask != 0) return index + __builtin_ctz((unsigned)mask);
    }
#else
    (void)bytes;
    (void)count;
#endif
    return index;
}

/* Valid UTF-8 made of ASCII and two-byte characters only (U+0080 to U+07FF: accented Latin,
   Hebrew, Arabic), most of any feed: a lead byte 0xC2 to 0xDF is followed by exactly one
   continuation byte (10xxxxxx), and no other byte is at or above 0x80. Reads whole blocks of
   sixteen, a character may straddle two; stops before the block where anything else appears
   (a longer character, an invalid byte), backing up to the start of a character that
   straddles into it, and leaves that to the caller. */
static inline long gz_utf8_two_byte_prefix(const unsigned char *bytes, long count) {
    long index = 0;
#if defined(__SSE2__)
    const __m128i c0 = _mm_set1_epi8((char)0xC0), c80 = _mm_set1_epi8((char)0x80);
    const __m128i min_lead = _mm_set1_epi8((char)0xC2), max_lead = _mm_set1_epi8((char)0xDF);
    unsigned carry = 0; /* the last block ended with a lead byte */
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        unsigned high = (unsigned)_mm_movemask_epi8(v);
        if (high == 0 && carry == 0) continue;
        unsigned continuation = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, c0), c80));
        /* min_lead <= v <= max_lead, unsigned */
        __m128i is_lead =
            _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, min_lead), v), _mm_cmpeq_epi8(_mm_min_epu8(v, max_lead), v));
        unsigned lead = (unsigned)_mm_movemask_epi8(is_lead);
        if ((lead | continuation) != high || (((lead << 1) | carry) & 0xFFFF) != continuation) break;
        carry = lead >> 15;
    }
    if (carry) index -= 1; /* the block ahead starts with that lead's continuation */
#else
    (void)bytes;
    (void)count;
#endif
    return index;
}

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
   CDATASections, which says why): libxml2 reads "<![CDATA[]]>" and gz_cdata_block hands the
   tree builder each section's real bytes, as the parse of the whole feed with
   XML_PARSE_NOCDATA hands them over (as characters).

   An element whose whole content is one such section (a content:encoded, a description)
   gets no text node at all: its `_private` says which section holds its text, which Swift
   reads from the feed's bytes when asked (`XMLNode.text`), and writes into the tree
   (`XMLTree.materializeVirtualText`) before anything that walks the tree's text nodes.
   That saves libxml2 a copy of most of the feed, and a free. So that "whole content" is
   known, the element's section is held back until the next event: another child, more
   text or a comment writes it into the tree first, in its place; the element's end leaves
   it virtual. */
typedef struct {
    const xmlChar *original;   /* the feed's bytes */
    const long *sections;      /* per section: content start in the feed, length (-1: left in place), end in the stripped bytes */
    long count;
    long next;
    int mismatch;              /* libxml2 met a section where the scan saw none: the result is thrown away */
    xmlNodePtr pending;        /* an element whose only content so far is section `pendingSection`, not yet in the tree */
    long pendingSection;
    long virtualCount;         /* elements left with a virtual text */
    startElementNsSAX2Func startElementNs;
    endElementNsSAX2Func endElementNs;
    charactersSAXFunc characters;
    ignorableWhitespaceSAXFunc ignorableWhitespace;
    commentSAXFunc comment;
    processingInstructionSAXFunc processingInstruction;
    referenceSAXFunc reference;
} gz_cdata_map;

/* The held-back section goes into the tree where the whole parse put it. */
static inline void gz_cdata_write_pending(xmlParserCtxtPtr ctxt, gz_cdata_map *map) {
    if (map->pending == NULL) return;
    const long *section = map->sections + 3 * map->pendingSection;
    map->pending = NULL;
    xmlSAX2Characters(ctxt, map->original + section[0], (int)section[1]);
}

static void gz_cdata_block(void *ctx, const xmlChar *value, int len) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    gz_cdata_map *map = (gz_cdata_map *)ctxt->_private;
    xmlParserInputPtr input = ctxt->input;
    /* Where libxml2 stands now (just past the section's "]]>") must be where the scan put its end. */
    if (map->mismatch || map->next >= map->count || input == NULL
        || (long)input->consumed + (long)(input->cur - input->base) != map->sections[3 * map->next + 2]
        || (map->sections[3 * map->next + 1] >= 0 && len != 0)) {
        map->mismatch = 1;
        xmlStopParser(ctxt);
        return;
    }
    long index = map->next;
    const long *section = map->sections + 3 * index;
    map->next += 1;
    xmlNodePtr node = ctxt->node;
    if (section[1] > 0 && map->pending == NULL && node != NULL && node->type == XML_ELEMENT_NODE && node->children == NULL
        && node->_private == NULL) {
        map->pending = node;
        map->pendingSection = index;
        return;
    }
    gz_cdata_write_pending(ctxt, map);
    if (section[1] < 0)
        xmlSAX2Characters(ctx, value, len);
    else
        xmlSAX2Characters(ctx, map->original + section[0], (int)section[1]);
}

#define GZ_CDATA_MAP(ctx) ((gz_cdata_map *)((xmlParserCtxtPtr)(ctx))->_private)

static void gz_cdata_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
                                   int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                                   const xmlChar **attributes) {
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    gz_cdata_write_pending((xmlParserCtxtPtr)ctx, map);
    map->startElementNs(ctx, localname, prefix, URI, nb_namespaces, namespaces, nb_attributes, nb_defaulted, attributes);
}

static void gz_cdata_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)ctx;
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    if (map->pending != NULL && map->pending == ctxt->node) {
        map->pending->_private = (void *)(intptr_t)(map->pendingSection + 1);
        map->pending = NULL;
        map->virtualCount += 1;
    } else
        gz_cdata_write_pending(ctxt, map);
    map->endElementNs(ctx, localname, prefix, URI);
}

static void gz_cdata_characters(void *ctx, const xmlChar *ch, int len) {
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    gz_cdata_write_pending((xmlParserCtxtPtr)ctx, map);
    map->characters(ctx, ch, len);
}

static void gz_cdata_ignorable_whitespace(void *ctx, const xmlChar *ch, int len) {
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    gz_cdata_write_pending((xmlParserCtxtPtr)ctx, map);
    map->ignorableWhitespace(ctx, ch, len);
}

static void gz_cdata_comment(void *ctx, const xmlChar *value) {
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    gz_cdata_write_pending((xmlParserCtxtPtr)ctx, map);
    map->comment(ctx, value);
}

static void gz_cdata_processing_instruction(void *ctx, const xmlChar *target, const xmlChar *data) {
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    gz_cdata_write_pending((xmlParserCtxtPtr)ctx, map);
    map->processingInstruction(ctx, target, data);
}

static void gz_cdata_reference(void *ctx, const xmlChar *name) {
    gz_cdata_map *map = GZ_CDATA_MAP(ctx);
    gz_cdata_write_pending((xmlParserCtxtPtr)ctx, map);
    map->reference(ctx, name);
}

/* The document CDATASections describes, handed to libxml2 a piece at a time as it asks for it
   (xmlReadIO's way): the feed's bytes without the contents of the sections taken out. */
typedef struct {
    const xmlChar *bytes; /* the feed */
    long count;
    long position;        /* the next byte of the feed to hand over */
    const long *sections; /* CDATASections' table */
    long sectionCount;
    long next;            /* the next section whose content may lie ahead */
} gz_stripped_reader;

static int gz_stripped_read(void *context, char *buffer, int length) {
    gz_stripped_reader *reader = (gz_stripped_reader *)context;
    int written = 0;
    while (written < length && reader->position < reader->count) {
        while (reader->next < reader->sectionCount && reader->sections[3 * reader->next + 1] < 0)
            reader->next += 1; /* left in place */
        long skip = reader->next < reader->sectionCount ? reader->sections[3 * reader->next] : reader->count;
        if (reader->position == skip) {
            reader->position += reader->sections[3 * reader->next + 1];
            reader->next += 1;
            continue;
        }
        long run = skip - reader->position;
        if (run > length - written) run = length - written;
        __builtin_memcpy(buffer + written, reader->bytes + reader->position, (size_t)run);
        written += (int)run;
        reader->position += run;
    }
    return written;
}

/* xmlReadMemory (libxml2 2.9's xmlDoRead, step by step) of the stripped document, with the
   handlers above. Without XML_PARSE_NOCDATA in `options`, which would switch gz_cdata_block off.

   The document is read as xmlReadIO reads, a piece at a time from the feed's bytes: never
   written out whole, once by CDATASections and again by xmlCreateMemoryParserCtxt (2.9 copies
   a memory document into a buffer of its own). Each copy was an allocation as large as the
   feed, and a request that large makes glibc's malloc first merge every small block the last
   feed's tree freed (malloc_consolidate), for the next tree to split up again. Read in
   pieces, libxml2's buffer stays a few kilobytes. The parse is the same: xmlReadFile reads so. */
static inline xmlDocPtr gz_read_stripped_restoring_cdata(const xmlChar *feed, long count, const char *URL,
                                                         const char *encoding, int options, gz_cdata_map *map) {
    xmlInitParser();
    gz_stripped_reader reader = {feed, count, 0, map->sections, map->count, 0};
    xmlParserCtxtPtr ctxt = xmlCreateIOParserCtxt(NULL, NULL, gz_stripped_read, NULL, &reader, XML_CHAR_ENCODING_NONE);
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
    xmlSAXHandlerPtr sax = ctxt->sax;
    map->startElementNs = sax->startElementNs;
    map->endElementNs = sax->endElementNs;
    map->characters = sax->characters;
    map->ignorableWhitespace = sax->ignorableWhitespace;
    map->comment = sax->comment;
    map->processingInstruction = sax->processingInstruction;
    map->reference = sax->reference;
    if (!map->startElementNs || !map->endElementNs || !map->characters || !map->ignorableWhitespace || !map->comment
        || !map->processingInstruction || !map->reference) {
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    sax->startElementNs = gz_cdata_start_element;
    sax->endElementNs = gz_cdata_end_element;
    /* libxml2 tells blanks from text only when these two differ: they must stay equal if they were. */
    sax->characters = gz_cdata_characters;
    sax->ignorableWhitespace =
        map->ignorableWhitespace == map->characters ? gz_cdata_characters : gz_cdata_ignorable_whitespace;
    sax->comment = gz_cdata_comment;
    sax->processingInstruction = gz_cdata_processing_instruction;
    sax->reference = gz_cdata_reference;
    sax->cdataBlock = gz_cdata_block;
    ctxt->_private = map;
    xmlParseDocument(ctxt);
    xmlDocPtr result = NULL;
    if (ctxt->wellFormed && !map->mismatch && map->next == map->count && map->pending == NULL)
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
