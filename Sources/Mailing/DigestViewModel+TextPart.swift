extension DigestViewModel {
    /// The model the text part renders from: right-to-left titles, section names, tags,
    /// authors and "also in" wrapped in Unicode isolates (FSI…PDI). Plain text has no `dir`,
    /// so without them two Hebrew tags swap places on a line and a client that picks each
    /// paragraph's direction from its first letter flips a whole line around a Hebrew title.
    /// The HTML part keeps the plain values and says direction with markup instead.
    var isolatedForText: DigestViewModel {
        var model = self
        model.topStories = topStories.map(\.isolatedForText)
        model.sections = sections.map { section in
            var section = section
            section.title = BidiIsolate.forText(section.title)
            section.moreText = BidiIsolate.forText(section.moreText)
            section.items = section.items.map(\.isolatedForText)
            return section
        }
        model.tagIndex = tagIndex.map(\.isolatedForText)
        model.indexTags = indexTags.map(\.isolatedForText)
        return model
    }
}

extension DigestViewModel.Item {
    fileprivate var isolatedForText: Self {
        var item = self
        item.title = BidiIsolate.forText(title, direction: isRightToLeft ? .rightToLeft : .leftToRight)
        item.authors = BidiIsolate.forText(authors)
        item.alsoIn = BidiIsolate.forText(alsoIn)
        item.tags = tags.map(\.isolatedForText)
        return item
    }
}

extension DigestViewModel.Tag {
    fileprivate var isolatedForText: Self {
        var tag = self
        tag.name = BidiIsolate.forText(name)
        return tag
    }
}
