import Foundation
import GazetteModel

extension Article {
    /// The article completed by what its page says.
    ///
    /// The page fills what the feed left empty and refines the section path (a page's
    /// breadcrumb is more precise than a feed category). Its tags replace the feed's
    /// categories when it has any; otherwise the feed's stay. The feed's title, authors,
    /// summary and image are kept when it gave them: they are what the site chose to syndicate.
    public func merging(_ page: ArticleMetadata) -> Article {
        var merged = self
        if title.isEmpty || title == "(untitled)", let pageTitle = page.title, !pageTitle.isEmpty { merged.title = pageTitle }
        if authors.isEmpty { merged.authors = page.authors }
        if publishedAt == nil { merged.publishedAt = page.publishedAt }
        if !page.section.isEmpty { merged.section = SectionPath(components: page.section) }
        if !page.tags.isEmpty { merged.tags = page.tags }
        if summary.isEmpty, let pageSummary = page.summary { merged.summary = pageSummary }
        if imageURL == nil, let image = page.image {
            merged.imageURL = image.url
            merged.imageCaption = image.caption ?? image.alt
        } else if imageCaption == nil, let image = page.image, image.url == imageURL {
            merged.imageCaption = image.caption ?? image.alt
        }
        if language == nil { merged.language = page.language }
        return merged
    }
}
