//! CRM object types and how an input's type is inferred.
//!
//! The type decides which roles a header can take (`Name` is the account name on an
//! account but the full name on a contact), which rule-file sections apply, and which
//! references can be resolved across inputs.

use std::fmt;

use serde::Serialize;

use super::columns::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectType {
    Account,
    Contact,
    Lead,
    Deal,
    Task,
    User,
    Generic,
}

impl ObjectType {
    pub const ALL: [ObjectType; 7] = [
        ObjectType::Account,
        ObjectType::Contact,
        ObjectType::Lead,
        ObjectType::Deal,
        ObjectType::Task,
        ObjectType::User,
        ObjectType::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Account => "account",
            ObjectType::Contact => "contact",
            ObjectType::Lead => "lead",
            ObjectType::Deal => "deal",
            ObjectType::Task => "task",
            ObjectType::User => "user",
            ObjectType::Generic => "generic",
        }
    }

    /// Parses an object name as written in rule files and on the command line,
    /// accepting the CRM synonyms (`opportunity`, `company`, `person`).
    pub fn parse(s: &str) -> Option<ObjectType> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "account" | "accounts" | "company" | "companies" | "organization" | "organisation" => {
                ObjectType::Account
            }
            "contact" | "contacts" | "person" | "people" => ObjectType::Contact,
            "lead" | "leads" => ObjectType::Lead,
            "deal" | "deals" | "opportunity" | "opportunities" | "opp" | "opps" => ObjectType::Deal,
            "task" | "tasks" | "activity" | "activities" => ObjectType::Task,
            "user" | "users" | "owner" | "owners" => ObjectType::User,
            "generic" => ObjectType::Generic,
            _ => return None,
        })
    }

    /// The Salesforce key prefix of the object's ids.
    pub fn salesforce_prefix(self) -> Option<&'static str> {
        match self {
            ObjectType::Account => Some("001"),
            ObjectType::Contact => Some("003"),
            ObjectType::Lead => Some("00Q"),
            ObjectType::Deal => Some("006"),
            ObjectType::Task => Some("00T"),
            ObjectType::User => Some("005"),
            ObjectType::Generic => None,
        }
    }

    /// The object whose Salesforce ids start with `prefix`.
    pub fn from_salesforce_prefix(prefix: &str) -> Option<ObjectType> {
        ObjectType::ALL
            .into_iter()
            .find(|o| o.salesforce_prefix() == Some(prefix))
    }

    /// Infers the type from a file name such as `Opportunities_2026-11.csv`.
    pub fn from_file_name(name: &str) -> Option<ObjectType> {
        let lower = name.to_lowercase();
        let stem = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
        // Longest, most specific words first: "contacts" before "account" would
        // misfire on "account_contacts.csv", so match whole words in order of weight.
        const WORDS: &[(&str, ObjectType)] = &[
            ("opportunit", ObjectType::Deal),
            ("deal", ObjectType::Deal),
            ("сделк", ObjectType::Deal),
            ("contact", ObjectType::Contact),
            ("контакт", ObjectType::Contact),
            ("lead", ObjectType::Lead),
            ("лид", ObjectType::Lead),
            ("account", ObjectType::Account),
            ("compan", ObjectType::Account),
            ("компани", ObjectType::Account),
            ("task", ObjectType::Task),
            ("задач", ObjectType::Task),
            ("user", ObjectType::User),
            ("owner", ObjectType::User),
        ];
        WORDS
            .iter()
            .find(|(w, _)| stem.contains(w))
            .map(|(_, o)| *o)
    }

    /// Scores how well a set of inferred roles fits each object type and returns the
    /// best, or `Generic` when nothing characteristic is present.
    pub fn from_roles(roles: &[Role]) -> ObjectType {
        let has = |r: Role| roles.contains(&r);
        let mut best = (0, ObjectType::Generic);
        let mut consider = |score: i32, object: ObjectType| {
            if score > best.0 {
                best = (score, object);
            }
        };
        consider(
            3 * i32::from(has(Role::Stage))
                + 2 * i32::from(has(Role::Amount))
                + 2 * i32::from(has(Role::CloseDate))
                + 2 * i32::from(has(Role::Probability))
                + i32::from(has(Role::ForecastCategory)),
            ObjectType::Deal,
        );
        consider(
            3 * i32::from(has(Role::LeadStatus))
                + 3 * i32::from(has(Role::IsConverted))
                + i32::from(has(Role::Company) && has(Role::LastName)),
            ObjectType::Lead,
        );
        consider(
            2 * i32::from(has(Role::LastName))
                + i32::from(has(Role::FirstName))
                + i32::from(has(Role::Email))
                + i32::from(has(Role::AccountId)),
            ObjectType::Contact,
        );
        consider(
            i32::from(has(Role::Name))
                + 2 * i32::from(has(Role::Website))
                + i32::from(has(Role::Industry))
                + i32::from(has(Role::AnnualRevenue))
                + i32::from(has(Role::Employees))
                - 2 * i32::from(has(Role::LastName)),
            ObjectType::Account,
        );
        consider(
            2 * i32::from(has(Role::Subject))
                + i32::from(has(Role::DueDate))
                + 2 * i32::from(has(Role::WhoId) || has(Role::WhatId)),
            ObjectType::Task,
        );
        consider(
            3 * i32::from(has(Role::Username)) + i32::from(has(Role::IsActive)),
            ObjectType::User,
        );
        if best.0 >= 2 {
            best.1
        } else {
            ObjectType::Generic
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_their_object() {
        assert_eq!(
            ObjectType::from_file_name("exports/Opportunities_2026.csv"),
            Some(ObjectType::Deal)
        );
        assert_eq!(
            ObjectType::from_file_name("hubspot-contacts.csv"),
            Some(ObjectType::Contact)
        );
        assert_eq!(
            ObjectType::from_file_name("Компании.csv"),
            Some(ObjectType::Account)
        );
        assert_eq!(ObjectType::from_file_name("export.csv"), None);
    }

    #[test]
    fn salesforce_prefixes_round_trip() {
        for o in ObjectType::ALL {
            if let Some(p) = o.salesforce_prefix() {
                assert_eq!(ObjectType::from_salesforce_prefix(p), Some(o));
            }
        }
    }
}
