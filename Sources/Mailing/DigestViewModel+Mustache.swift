import Mustache

// Templates read the view model by key. Without these conformances swift-mustache finds each
// key with `Mirror`, which walked every field of the value and decoded its type at run time
// for each `{{name}}`: 58% of rendering time in `make bench`'s render case (perf). A switch
// is the same lookup without reflection. `DigestViewModelMustacheTests` checks that every
// stored property answers by its own name, so a new field cannot be forgotten here.

extension DigestViewModel: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "subject": subject
        case "t": t
        case "shortDate": shortDate
        case "leadStory": leadStory
        case "hasLeadStory": hasLeadStory
        case "preheader": preheader
        case "list": list
        case "reader": reader
        case "date": date
        case "since": since
        case "articleCount": articleCount
        case "isEmpty": isEmpty
        case "isSingleArticle": isSingleArticle
        case "topStories": topStories
        case "hasTopStories": hasTopStories
        case "sections": sections
        case "tagIndex": tagIndex
        case "hasTagIndex": hasTagIndex
        case "indexTags": indexTags
        case "tagIndexLine": tagIndexLine
        case "generator": generator
        case "unsubscribeURL": unsubscribeURL
        case "unsubscribeMailto": unsubscribeMailto
        case "preferencesURL": preferencesURL
        case "hasPreferencesURL": hasPreferencesURL
        // Not for templates: the markers of the top stories' blocks (`ArticleBlocks.Plan`).
        case "_gazetteBlocksOfTopStories": ArticleBlocks.blockMarkers(topStories)
        default: nil
        }
    }
}

extension DigestViewModel.List: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "title": title
        case "senderName": senderName
        case "senderAddress": senderAddress
        case "language": language
        case "direction": direction
        default: nil
        }
    }
}

extension DigestViewModel.Reader: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "email": email
        case "name": self.name
        case "greetingName": greetingName
        default: nil
        }
    }
}

extension DigestViewModel.ArticleLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": number
        case "anchor": anchor
        default: nil
        }
    }
}

extension DigestViewModel.Tag: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "count": count
        case "articles": articles
        case "numbers": numbers
        case "url": url
        case "hasURL": hasURL
        case "direction": direction
        case "isolated": isolated
        default: nil
        }
    }
}

extension DigestViewModel.Item: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": number
        case "anchor": anchor
        case "title": title
        case "url": url
        case "summary": summary
        case "hasSummary": hasSummary
        case "authors": authors
        case "hasAuthors": hasAuthors
        case "time": time
        case "tags": tags
        case "hasTags": hasTags
        case "tagLine": tagLine
        case "alsoIn": alsoIn
        case "hasAlsoIn": hasAlsoIn
        case "language": language
        case "direction": direction
        case "isRightToLeft": isRightToLeft
        case "align": align
        case "titleRuns": titleRuns
        case "summaryRuns": summaryRuns
        case "imageURL": imageURL
        case "imageAlt": imageAlt
        case "hasImage": hasImage
        // Not for templates: where `ArticleBlocks` splices this item's block into a digest.
        case "_gazetteBlock": ArticleBlocks.blockMarker(number)
        default: nil
        }
    }
}

extension DigestViewModel.Section: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "anchor": anchor
        case "direction": direction
        case "align": align
        case "count": count
        case "hasItems": hasItems
        case "items": items
        case "moreCount": moreCount
        case "hasMore": hasMore
        case "moreText": moreText
        // Not for templates: the markers of the items' blocks (`ArticleBlocks.Plan`).
        case "_gazetteBlocksOfItems": ArticleBlocks.blockMarkers(items)
        default: nil
        }
    }
}

extension DirectionRun: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "isolated": isolated
        default: nil
        }
    }
}
