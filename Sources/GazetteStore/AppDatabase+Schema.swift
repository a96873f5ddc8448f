import GRDB

extension AppDatabase {
    /// The schema's history. Migrations are append-only: a shipped migration is never edited;
    /// a change is a new migration below the others (see CONTRIBUTING.md).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sources, articles, subscribers, subscriptions, deliveries") { db in
            try db.create(table: "source") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("feedURL", .text).notNull()
                t.column("siteURL", .text)
                t.column("etag", .text)
                t.column("lastModified", .text)
                t.column("lastFetchedAt", .datetime)
                t.column("lastSuccessAt", .datetime)
                t.column("lastStatus", .integer)
                t.column("lastError", .text)
                t.column("consecutiveFailures", .integer).notNull().defaults(to: 0)
                t.column("notModifiedCount", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "article") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("source", onDelete: .restrict).notNull()
                t.column("guid", .text).notNull().indexed()
                t.column("url", .text).notNull().unique()
                t.column("title", .text).notNull()
                t.column("summary", .text).notNull().defaults(to: "")
                t.column("authors", .jsonText).notNull().defaults(to: "[]")
                t.column("publishedAt", .datetime)
                t.column("section", .jsonText).notNull().defaults(to: "[]")
                t.column("tags", .jsonText).notNull().defaults(to: "[]")
                t.column("firstSeenAt", .datetime).notNull().indexed()
                t.column("language", .text)
            }
            try db.create(table: "subscriber") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("email", .text).notNull().unique().collate(.nocase)
                t.column("name", .text)
                t.column("status", .text).notNull()
                    .check { ["active", "paused", "unsubscribed", "bounced", "pending"].contains($0) }
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "subscription") { t in
                t.belongsTo("subscriber", onDelete: .cascade).notNull()
                t.column("listName", .text).notNull()
                t.column("sections", .jsonText).notNull().defaults(to: "[]")
                t.column("tags", .jsonText).notNull().defaults(to: "[]")
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["subscriberId", "listName"])
            }
            try db.create(table: "delivery") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("subscriber", onDelete: .cascade).notNull()
                t.column("listName", .text).notNull()
                t.column("edition", .text).notNull()
                t.column("windowStart", .datetime).notNull()
                t.column("windowEnd", .datetime).notNull()
                t.column("status", .text).notNull().check { ["pending", "sent", "failed"].contains($0) }
                t.column("messageId", .text).notNull().unique()
                t.column("articleCount", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("sentAt", .datetime)
                t.column("error", .text)
                t.uniqueKey(["subscriberId", "listName", "edition"])
            }
        }
        migrator.registerMigration("v2: permanent failures, attempts, bounce counts") { db in
            try db.alter(table: "delivery") { t in
                // A failure the server called permanent (5xx): not retried unless asked.
                t.add(column: "permanent", .boolean).notNull().defaults(to: false)
                t.add(column: "attempts", .integer).notNull().defaults(to: 0)
            }
            try db.alter(table: "subscriber") { t in
                // Permanent refusals since the last accepted message.
                t.add(column: "bounceCount", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v3: lead images") { db in
            try db.alter(table: "article") { t in
                t.add(column: "imageURL", .text)
                t.add(column: "imageCaption", .text)
            }
        }
        migrator.registerMigration("v4: muted sections and tags") { db in
            try db.alter(table: "subscription") { t in
                t.add(column: "mutedSections", .jsonText).notNull().defaults(to: "[]")
                t.add(column: "mutedTags", .jsonText).notNull().defaults(to: "[]")
            }
        }
        migrator.registerMigration("v5: articles held back by a source's first fetch") { db in
            try db.alter(table: "article") { t in
                // Seen (so never new again) but never mailed: a new source's archive.
                t.add(column: "held", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v6: list editions") { db in
            // One row per list and scheduled occurrence, marked complete once every subscriber
            // was handled, so a run every 15 minutes sends each edition once.
            try db.create(table: "edition") { t in
                t.column("listName", .text).notNull()
                t.column("edition", .text).notNull()
                t.column("scheduledAt", .datetime).notNull()
                t.column("completedAt", .datetime)
                t.primaryKey(["listName", "edition"])
            }
        }
        migrator.registerMigration("v7: settings") { db in
            // Small facts about the database itself, such as when it was last pruned.
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v30: source moves and fetch schedule") { db in
            try db.alter(table: "source") { t in
                // The address a permanent redirect (301/308) moved the feed to; fetched
                // instead of the configured one until the config changes.
                t.add(column: "movedTo", .text)
                // Not to be fetched before this: Cache-Control, <ttl>, Retry-After.
                t.add(column: "nextFetchAt", .datetime)
            }
        }
        migrator.registerMigration("v31: article pages") { db in
            try db.alter(table: "article") { t in
                // Set once the article's page has been read for its section, tags and byline
                // (or reading it failed for good); articles of enriched sources wait while nil.
                t.add(column: "pageFetchedAt", .datetime)
                t.add(column: "pageError", .text)
            }
            try db.create(index: "article_on_sourceId_pageFetchedAt", on: "article", columns: ["sourceId", "pageFetchedAt"])
        }
        migrator.registerMigration("v8-subscribers-lists") { db in
            // Lists made with `gazette lists add`; lists declared in gazette.toml are not copied
            // here (see docs/decisions/0006-lists-config-and-database.md).
            try db.create(table: "list") { t in
                t.primaryKey("name", .text)
                t.column("title", .text).notNull()
                t.column("senderName", .text).notNull()
                t.column("senderAddress", .text).notNull()
                t.column("schedule", .text).notNull()
                t.column("sections", .jsonText).notNull().defaults(to: "[]")
                t.column("tags", .jsonText).notNull().defaults(to: "[]")
                t.column("mutedSections", .jsonText).notNull().defaults(to: "[]")
                t.column("mutedTags", .jsonText).notNull().defaults(to: "[]")
                t.column("doubleOptIn", .boolean).notNull().defaults(to: false)
                t.column("confirmURL", .text)
                t.column("createdAt", .datetime).notNull()
            }
            // The subscriber table is rebuilt (SQLite cannot change a CHECK constraint in place)
            // to allow a `removed` tombstone: `gazette subscribers remove` forgets the address
            // and name but keeps the row, so the delivery ledger keeps its history, and keeps
            // a hash of an unsubscribed or bounced address, so no later import mails it again.
            try db.create(table: "newSubscriber") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("email", .text).unique().collate(.nocase)
                t.column("name", .text)
                t.column("status", .text).notNull()
                    .check { ["active", "paused", "unsubscribed", "bounced", "pending", "removed"].contains($0) }
                t.column("createdAt", .datetime).notNull()
                t.column("bounceCount", .integer).notNull().defaults(to: 0)
                t.column("statusChangedAt", .datetime)
                // SHA-256 of the lower-cased address of a removed subscriber who had unsubscribed or bounced.
                t.column("emailHash", .text)
                t.check(sql: "email IS NOT NULL OR status = 'removed'")
            }
            try db.execute(sql: """
                INSERT INTO newSubscriber (id, email, name, status, createdAt, bounceCount)
                SELECT id, email, name, status, createdAt, bounceCount FROM subscriber
                """)
            try db.drop(table: "subscriber")
            try db.rename(table: "newSubscriber", to: "subscriber")
            try db.create(index: "subscriber_on_emailHash", on: "subscriber", columns: ["emailHash"], condition: Column("emailHash") != nil)
        }
        migrator.registerMigration("v32: deliveries handed over") { db in
            try db.alter(table: "delivery") { t in
                // Set when the transport passes its point of no return (SMTP: the end of DATA);
                // a pending row with it set was handed over whole by a run that then died.
                t.add(column: "handedOverAt", .datetime)
            }
        }
        migrator.registerMigration("v33: every feed an article came through, with its content hash") { db in
            // One row per feed that carried the article: the first one and every cross-feed
            // duplicate merged into it. The hash is of what that feed last said, so an edit
            // (a new hash) is told apart from the same item read again.
            try db.create(table: "articleFeed") { t in
                t.column("articleId", .integer).notNull().references("article", onDelete: .cascade)
                t.column("sourceId", .integer).notNull().references("source", onDelete: .cascade)
                t.column("contentHash", .text).notNull()
                t.primaryKey(["articleId", "sourceId"])
            }
            try db.create(index: "articleFeed_on_sourceId", on: "articleFeed", columns: ["sourceId"])
            try db.execute(sql: "INSERT INTO articleFeed (articleId, sourceId, contentHash) SELECT id, sourceId, '' FROM article")
        }
        migrator.registerMigration("v34: returned mail") { db in
            // One row per returned message read by `gazette bounces`: what it was, whom it was
            // about and what was done. The message key makes reading a mailbox twice harmless.
            try db.create(table: "returnedMail") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("messageKey", .text).notNull().unique()
                t.belongsTo("subscriber", onDelete: .cascade)
                t.belongsTo("delivery", onDelete: .setNull)
                t.column("listName", .text)
                t.column("kind", .text).notNull()
                    .check { ["hard", "soft", "complaint", "unsubscribe", "auto-reply", "unknown"].contains($0) }
                t.column("status", .text)
                t.column("detail", .text)
                t.column("originalMessageId", .text)
                t.column("action", .text).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.column("recordedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v35: subscriptions ordered by what they follow") { db in
            // The daily job reads a list's members a page at a time in this order, so those who
            // follow and mute the same things, and so get the same digest, come together.
            try db.create(
                index: "subscription_on_selection", on: "subscription",
                columns: ["listName", "sections", "tags", "mutedSections", "mutedTags", "subscriberId"])
        }
        return migrator
    }
}
