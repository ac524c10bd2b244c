//! CRM object types and how an input's type is inferred.
//!
//! The type decides which roles a header can take (`Name` is the account name on an
//! account but the full name on a contact), which rule-file sections apply, which checks
//! have something to say, and which references can be resolved across inputs. A wrong
//! type is worse than none: a case audited as a deal gets every deal rule, a campaign
//! membership audited as a contact is "a duplicate person". So inference says why it
//! chose a type, and falls back to `generic` (which only gets the checks that fit any
//! table) when the evidence is weak.
//!
//! Evidence, strongest first: the command line or rule file; a file name that names a
//! derived table (history, association, line item) — its id column holds the *parent's*
//! ids; the Salesforce key prefix of the ids (the full standard-object table in
//! `data/salesforce_key_prefixes.csv`); the file name's object noun; the headers.

use std::fmt;

use serde::Serialize;

use super::columns::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectType {
    Account,
    Contact,
    Lead,
    Deal,
    Task,
    Event,
    User,
    Case,
    Campaign,
    CampaignMember,
    /// A deal's stage history (`OpportunityHistory`, HubSpot deal stages).
    DealHistory,
    /// Field history or versions of another object's records (`AccountHistory`,
    /// warehouse history tables): keyed by the parent's ids.
    History,
    /// A line of a deal (`OpportunityLineItem`): product, quantity, price.
    LineItem,
    Product,
    /// A link between two records (`OpportunityContactRole`, `AccountContactRelation`,
    /// HubSpot association tables).
    Association,
    Generic,
}

impl ObjectType {
    pub const ALL: [ObjectType; 16] = [
        ObjectType::Account,
        ObjectType::Contact,
        ObjectType::Lead,
        ObjectType::Deal,
        ObjectType::Task,
        ObjectType::Event,
        ObjectType::User,
        ObjectType::Case,
        ObjectType::Campaign,
        ObjectType::CampaignMember,
        ObjectType::DealHistory,
        ObjectType::History,
        ObjectType::LineItem,
        ObjectType::Product,
        ObjectType::Association,
        ObjectType::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Account => "account",
            ObjectType::Contact => "contact",
            ObjectType::Lead => "lead",
            ObjectType::Deal => "deal",
            ObjectType::Task => "task",
            ObjectType::Event => "event",
            ObjectType::User => "user",
            ObjectType::Case => "case",
            ObjectType::Campaign => "campaign",
            ObjectType::CampaignMember => "campaign_member",
            ObjectType::DealHistory => "deal_history",
            ObjectType::History => "history",
            ObjectType::LineItem => "line_item",
            ObjectType::Product => "product",
            ObjectType::Association => "association",
            ObjectType::Generic => "generic",
        }
    }

    /// Parses an object name as written in rule files and on the command line,
    /// accepting the CRM synonyms (`opportunity`, `company`, `person`, `ticket`).
    pub fn parse(s: &str) -> Option<ObjectType> {
        let key: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        Some(match key.as_str() {
            "account" | "accounts" | "company" | "companies" | "organization" | "organisation" => {
                ObjectType::Account
            }
            "contact" | "contacts" | "person" | "people" => ObjectType::Contact,
            "lead" | "leads" => ObjectType::Lead,
            "deal" | "deals" | "opportunity" | "opportunities" | "opp" | "opps" => ObjectType::Deal,
            "task" | "tasks" | "activity" | "activities" => ObjectType::Task,
            "event" | "events" | "meeting" | "meetings" => ObjectType::Event,
            "user" | "users" | "owner" | "owners" => ObjectType::User,
            "case" | "cases" | "ticket" | "tickets" => ObjectType::Case,
            "campaign" | "campaigns" => ObjectType::Campaign,
            "campaignmember" | "campaignmembers" => ObjectType::CampaignMember,
            "dealhistory" | "opportunityhistory" | "stagehistory" => ObjectType::DealHistory,
            "history" | "fieldhistory" => ObjectType::History,
            "lineitem" | "lineitems" | "opportunitylineitem" => ObjectType::LineItem,
            "product" | "products" | "product2" => ObjectType::Product,
            "association" | "associations" | "junction" | "relation" => ObjectType::Association,
            "generic" => ObjectType::Generic,
            _ => return None,
        })
    }

    /// Whether records of this type are things (people, companies, deals…) rather than
    /// facts about other records (history rows, links): only things are expected to
    /// have a unique id and the fields of their kind.
    pub fn is_entity(self) -> bool {
        !matches!(
            self,
            ObjectType::DealHistory
                | ObjectType::History
                | ObjectType::Association
                | ObjectType::CampaignMember
                | ObjectType::Generic
        )
    }

    /// The Salesforce key prefix of the object's ids.
    pub fn salesforce_prefix(self) -> Option<&'static str> {
        Some(match self {
            ObjectType::Account => "001",
            ObjectType::Contact => "003",
            ObjectType::Lead => "00Q",
            ObjectType::Deal => "006",
            ObjectType::Task => "00T",
            ObjectType::Event => "00U",
            ObjectType::User => "005",
            ObjectType::Case => "500",
            ObjectType::Campaign => "701",
            ObjectType::CampaignMember => "00v",
            ObjectType::DealHistory => "008",
            ObjectType::LineItem => "00k",
            ObjectType::Product => "01t",
            ObjectType::History | ObjectType::Association | ObjectType::Generic => return None,
        })
    }

    /// The object whose Salesforce ids start with `prefix`, with the standard object's
    /// API name (`OpportunityContactRole` for `00K`). Objects without a type of their
    /// own are `Association`, `History` or `Generic`.
    pub fn from_salesforce_prefix(prefix: &str) -> Option<(ObjectType, &'static str)> {
        let api = salesforce_object(prefix)?;
        Some((ObjectType::from_salesforce_api(api), api))
    }

    /// The object type of a Salesforce object API name (`Opportunity`, `CampaignMember`;
    /// custom objects `Invoice__c` are `Generic`).
    pub fn from_salesforce_api(api: &str) -> ObjectType {
        match api {
            "Account" => ObjectType::Account,
            "Contact" => ObjectType::Contact,
            "Lead" => ObjectType::Lead,
            "Opportunity" => ObjectType::Deal,
            "Task" => ObjectType::Task,
            "Event" => ObjectType::Event,
            "User" => ObjectType::User,
            "Case" => ObjectType::Case,
            "Campaign" => ObjectType::Campaign,
            "CampaignMember" => ObjectType::CampaignMember,
            "OpportunityHistory" => ObjectType::DealHistory,
            "OpportunityLineItem" => ObjectType::LineItem,
            "Product2" => ObjectType::Product,
            "OpportunityContactRole"
            | "AccountContactRelation"
            | "AccountContactRole"
            | "CaseContactRole"
            | "ContractContactRole"
            | "OpportunityCompetitor"
            | "OpportunityTeamMember"
            | "AccountTeamMember"
            | "GroupMember"
            | "ContentDocumentLink" => ObjectType::Association,
            api if api.ends_with("History") => ObjectType::History,
            _ => ObjectType::Generic,
        }
    }

    /// Infers the type from a file name such as `Opportunities_2026-11.csv`,
    /// `sf_account_history_data.csv` or `OpportunityContactRole.csv`.
    pub fn from_file_name(name: &str) -> Option<FileNameGuess> {
        let words = name_words(name);
        if words.is_empty() {
            return None;
        }
        let has = |seq: &[&str]| {
            words
                .windows(seq.len())
                .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
        };
        let derived = |object, what: &'static str| {
            Some(FileNameGuess {
                object,
                derived: true,
                what,
            })
        };
        // Derived tables first: their names contain an entity noun too.
        if has(&["contact", "role"]) || has(&["account", "contact", "relation"]) {
            return derived(ObjectType::Association, "contact role");
        }
        if has(&["line", "item"]) {
            return derived(ObjectType::LineItem, "line item");
        }
        if has(&["campaign", "member"]) {
            return derived(ObjectType::CampaignMember, "campaign member");
        }
        for deal in ["opportunity", "deal"] {
            if has(&[deal, "history"]) || has(&[deal, "stage", "history"]) || has(&[deal, "stage"])
            {
                return derived(ObjectType::DealHistory, "deal stage history");
            }
        }
        if words
            .iter()
            .any(|w| w == "history" || w == "audit" || w == "log")
        {
            return derived(ObjectType::History, "history");
        }
        if words.iter().any(|w| {
            matches!(
                w.as_str(),
                "member" | "membership" | "association" | "junction" | "link"
            )
        }) {
            return derived(ObjectType::Association, "association");
        }
        // Two entity nouns side by side (`deal_contact`, `ticket_company`) name a link
        // table, unless the headers say otherwise (the caller checks).
        let entities: Vec<Option<ObjectType>> = words.iter().map(|w| entity_noun(w)).collect();
        if entities
            .windows(2)
            .any(|w| w[0].is_some() && w[1].is_some() && w[0] != w[1])
        {
            return Some(FileNameGuess {
                object: ObjectType::Association,
                derived: false,
                what: "two object names",
            });
        }
        // Activity logs that are not tasks or events (calls, notes, emails, messages;
        // HubSpot engagements of those kinds).
        let activity = words
            .iter()
            .any(|w| matches!(w.as_str(), "call" | "note" | "message" | "comment"))
            || (words.iter().any(|w| w == "engagement")
                && !words.iter().any(|w| w == "task" || w == "meeting"));
        let other_entity = words
            .iter()
            .any(|w| w != "engagement" && entity_noun(w).is_some());
        if words.iter().any(|w| w == "engagement")
            && other_entity
            && !words.iter().any(|w| w == "task" || w == "meeting")
        {
            return derived(ObjectType::Association, "association");
        }
        if activity && !other_entity {
            return Some(FileNameGuess {
                object: ObjectType::Generic,
                derived: false,
                what: "activity log",
            });
        }
        // Lookup and metadata tables: stages, pipelines, properties, options, lists.
        if words.iter().any(|w| {
            matches!(
                w.as_str(),
                "pipeline"
                    | "stage"
                    | "property"
                    | "option"
                    | "list"
                    | "picklist"
                    | "dictionary"
                    | "merged"
                    | "merge"
                    | "setting"
                    | "role"
                    | "profile"
                    | "queue"
            )
        }) && !words.iter().any(|w| w == "sale")
        {
            return None;
        }
        entities.iter().flatten().next().map(|o| FileNameGuess {
            object: *o,
            derived: false,
            what: "object name",
        })
    }

    /// Scores how well a set of inferred roles fits each object type and returns the
    /// best with the roles that decided it, or `Generic` when nothing fits clearly.
    pub fn from_roles(roles: &[Role]) -> (ObjectType, Vec<Role>) {
        let has = |r: Role| roles.contains(&r);
        let mut scores: Vec<(i32, ObjectType, Vec<Role>)> = Vec::new();
        let mut consider = |object: ObjectType, weights: &[(Role, i32)], penalties: &[Role]| {
            let evidence: Vec<Role> = weights
                .iter()
                .filter(|(r, _)| has(*r))
                .map(|(r, _)| *r)
                .collect();
            let score = weights
                .iter()
                .filter(|(r, _)| has(*r))
                .map(|(_, w)| w)
                .sum::<i32>()
                - 2 * penalties.iter().filter(|r| has(**r)).count() as i32;
            scores.push((score, object, evidence));
        };
        consider(
            ObjectType::Deal,
            &[
                (Role::Stage, 3),
                (Role::Amount, 2),
                (Role::CloseDate, 2),
                (Role::Probability, 2),
                (Role::ForecastCategory, 1),
                (Role::IsWon, 1),
            ],
            &[
                Role::CaseNumber,
                Role::CaseOrigin,
                Role::Priority,
                Role::CampaignId,
                Role::Subject,
            ],
        );
        consider(
            ObjectType::Lead,
            &[
                (Role::LeadStatus, 3),
                (Role::IsConverted, 3),
                (Role::ConvertedAt, 2),
                (Role::Company, 1),
            ],
            &[Role::CampaignId],
        );
        consider(
            ObjectType::Contact,
            &[
                (Role::LastName, 2),
                (Role::FirstName, 1),
                (Role::Email, 1),
                (Role::AccountId, 1),
                (Role::Title, 1),
                (Role::MobilePhone, 1),
            ],
            &[
                Role::CampaignId,
                Role::LeadStatus,
                Role::IsConverted,
                Role::Username,
            ],
        );
        consider(
            ObjectType::Account,
            &[
                (Role::Name, 1),
                (Role::Website, 2),
                (Role::Industry, 1),
                (Role::AnnualRevenue, 1),
                (Role::Employees, 1),
                (Role::ParentId, 1),
            ],
            &[Role::LastName, Role::Stage, Role::Username],
        );
        consider(
            ObjectType::Task,
            &[
                (Role::Subject, 2),
                (Role::DueDate, 1),
                (Role::WhoId, 1),
                (Role::WhatId, 1),
                (Role::Status, 1),
            ],
            &[Role::EventStart, Role::CaseStatus],
        );
        consider(
            ObjectType::Event,
            &[
                (Role::EventStart, 3),
                (Role::EventEnd, 1),
                (Role::Subject, 1),
                (Role::WhoId, 1),
            ],
            &[],
        );
        consider(
            ObjectType::User,
            &[(Role::Username, 3), (Role::IsActive, 1)],
            &[],
        );
        consider(
            ObjectType::Case,
            &[
                (Role::CaseStatus, 2),
                (Role::CaseNumber, 3),
                (Role::Priority, 1),
                (Role::CaseOrigin, 2),
            ],
            &[],
        );
        consider(
            ObjectType::Campaign,
            &[
                (Role::BudgetedCost, 3),
                (Role::ActualCost, 2),
                (Role::StartDate, 1),
                (Role::EndDate, 1),
            ],
            &[],
        );
        consider(
            ObjectType::CampaignMember,
            &[
                (Role::CampaignId, 3),
                (Role::ContactId, 1),
                (Role::LeadId, 1),
            ],
            &[],
        );
        consider(
            ObjectType::LineItem,
            &[
                (Role::Quantity, 2),
                (Role::UnitPrice, 2),
                (Role::ProductId, 2),
                (Role::DealId, 1),
            ],
            &[],
        );
        scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let (best, second) = (&scores[0], &scores[1]);
        // Sure enough: a real score, and clearly ahead of the runner-up.
        if best.0 >= 3 && best.0 - second.0 >= 2 {
            (best.1, best.2.clone())
        } else {
            (ObjectType::Generic, Vec::new())
        }
    }
}

/// What a file name says about its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileNameGuess {
    pub object: ObjectType,
    /// A table derived from another object (history, link, line item): its ids may
    /// be the parent's, so the name wins over the id prefix.
    pub derived: bool,
    /// What in the name decided (`history`, `object name`, …).
    pub what: &'static str,
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The standard object named by a Salesforce key prefix (the first of several for a
/// shared prefix: `017` is every field history).
pub fn salesforce_object(prefix: &str) -> Option<&'static str> {
    const TABLE: &str = include_str!("../../data/salesforce_key_prefixes.csv");
    TABLE
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .find(|(p, _)| *p == prefix)
        .map(|(_, object)| object)
}

/// The entity an English or Russian word of a file name names.
fn entity_noun(word: &str) -> Option<ObjectType> {
    let w = word;
    Some(match w {
        "opportunity" | "deal" | "сделка" | "сделки" => ObjectType::Deal,
        "contact" | "person" | "people" | "контакт" | "контакты" => {
            ObjectType::Contact
        }
        "lead" | "лид" | "лиды" => ObjectType::Lead,
        "account"
        | "company"
        | "client"
        | "customer"
        | "клиент"
        | "клиенты"
        | "organization"
        | "organisation"
        | "компания"
        | "компании"
        | "организации" => ObjectType::Account,
        "task" | "задача" | "задачи" => ObjectType::Task,
        "event" | "meeting" | "встреча" | "встречи" => ObjectType::Event,
        "case" | "ticket" | "обращение" | "обращения" => ObjectType::Case,
        "user"
        | "owner"
        | "employee"
        | "пользователь"
        | "пользователи"
        | "сотрудник"
        | "сотрудники" => ObjectType::User,
        "campaign" | "кампания" => ObjectType::Campaign,
        "product" | "товар" | "товары" | "продукт" | "продукты" => {
            ObjectType::Product
        }
        _ if w.starts_with("сделк") => ObjectType::Deal,
        _ if w.starts_with("контакт") => ObjectType::Contact,
        _ if w.starts_with("компани") => ObjectType::Account,
        _ if w.starts_with("задач") => ObjectType::Task,
        _ => return None,
    })
}

/// The words of a file name: split at punctuation, digits and camelCase, lowercased,
/// English plurals reduced (`OpportunityLineItems_2026.csv` → opportunity line item).
fn name_words(name: &str) -> Vec<String> {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.split_once('.').map_or(stem, |(s, _)| s);
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in stem.chars() {
        if !c.is_alphabetic() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.into_iter().map(|w| singular(&w)).collect()
}

fn singular(word: &str) -> String {
    if !word.is_ascii() || word.len() <= 3 {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if word.ends_with("ss") || word.ends_with("us") {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ses") {
        return format!("{stem}s");
    }
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(name: &str) -> Option<(ObjectType, bool)> {
        ObjectType::from_file_name(name).map(|g| (g.object, g.derived))
    }

    #[test]
    fn file_names_name_their_object() {
        assert_eq!(
            guess("exports/Opportunities_2026.csv"),
            Some((ObjectType::Deal, false))
        );
        assert_eq!(
            guess("hubspot-contacts.csv"),
            Some((ObjectType::Contact, false))
        );
        assert_eq!(guess("Компании.csv"), Some((ObjectType::Account, false)));
        assert_eq!(guess("export.csv"), None);
        assert_eq!(
            guess("OpportunityHistory.csv"),
            Some((ObjectType::DealHistory, true))
        );
        assert_eq!(
            guess("sf_account_history_data.csv"),
            Some((ObjectType::History, true))
        );
        assert_eq!(
            guess("OpportunityContactRole.csv"),
            Some((ObjectType::Association, true))
        );
        assert_eq!(
            guess("OpportunityLineItem.csv"),
            Some((ObjectType::LineItem, true))
        );
        assert_eq!(
            guess("CampaignMember.csv"),
            Some((ObjectType::CampaignMember, true))
        );
        assert_eq!(guess("Case.csv"), Some((ObjectType::Case, false)));
        assert_eq!(
            guess("deal_contact_data.csv"),
            Some((ObjectType::Association, false))
        );
        assert_eq!(guess("deal_pipeline_stage_data.csv"), None);
        assert_eq!(
            guess("deal_stage_data.csv"),
            Some((ObjectType::DealHistory, true))
        );
        assert_eq!(
            guess("contact_list_member_data.csv"),
            Some((ObjectType::Association, true))
        );
        assert_eq!(guess("sales_pipeline.csv"), None);
        assert_eq!(
            guess("engagement_contact_data.csv"),
            Some((ObjectType::Association, true))
        );
        assert_eq!(
            guess("engagement_call_data.csv"),
            Some((ObjectType::Generic, false))
        );
        assert_eq!(
            guess("engagement_task_data.csv"),
            Some((ObjectType::Task, false))
        );
        assert_eq!(
            guess("EmailMessage.csv"),
            Some((ObjectType::Generic, false))
        );
    }

    #[test]
    fn salesforce_prefixes_round_trip() {
        for o in ObjectType::ALL {
            if let Some(p) = o.salesforce_prefix() {
                assert_eq!(
                    ObjectType::from_salesforce_prefix(p).map(|(o, _)| o),
                    Some(o),
                    "{p}"
                );
            }
        }
        assert_eq!(
            ObjectType::from_salesforce_prefix("00K"),
            Some((ObjectType::Association, "OpportunityContactRole"))
        );
        assert_eq!(
            ObjectType::from_salesforce_prefix("017"),
            Some((ObjectType::History, "AccountHistory"))
        );
        assert_eq!(
            ObjectType::from_salesforce_prefix("801").map(|(o, _)| o),
            Some(ObjectType::Generic)
        );
        assert_eq!(ObjectType::from_salesforce_prefix("a0X"), None);
    }
}
