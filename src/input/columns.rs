//! Header → role mapping.
//!
//! A role says what a column means (email, stage, close date, …) independently of how a
//! CRM spells its header: Salesforce API names (`StageName`) and labels (`Stage`),
//! HubSpot internal names (`dealstage`) and labels (`Deal Stage`), and generic English
//! and Russian headers (`Этап сделки`). Headers are compared after [`header_key`]
//! folding, so `E-mail`, `email` and `EMAIL ` are one alias.
//!
//! This module does not parse values; a role only carries the [`ValueKind`] that
//! `locale` parsing and the format checks use.

use std::collections::BTreeMap;

use serde::Serialize;

use super::object::ObjectType;

/// How a column's values are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    Text,
    Id,
    /// An id of another object (a foreign key).
    Reference(ObjectType),
    Email,
    Phone,
    Url,
    Date,
    DateTime,
    Number,
    Money,
    Percent,
    Boolean,
}

impl ValueKind {
    pub fn is_date(self) -> bool {
        matches!(self, ValueKind::Date | ValueKind::DateTime)
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            ValueKind::Number | ValueKind::Money | ValueKind::Percent
        )
    }

    /// Free text that a person typed, where placeholders such as `n/a` appear.
    pub fn is_typed_text(self) -> bool {
        matches!(
            self,
            ValueKind::Text | ValueKind::Email | ValueKind::Phone | ValueKind::Url
        )
    }
}

macro_rules! roles {
    ($( $variant:ident = $name:literal, $kind:expr, [$($alias:literal),* $(,)?]; )*) => {
        /// What a column means. The list is closed; unknown columns stay unmapped.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Role { $($variant),* }

        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$variant),*];

            /// The snake_case name used in rule files and reports.
            pub fn as_str(self) -> &'static str {
                match self { $(Role::$variant => $name),* }
            }

            pub fn kind(self) -> ValueKind {
                match self { $(Role::$variant => $kind),* }
            }

            /// Header aliases, already folded by [`header_key`].
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Role::$variant => &[$($alias),*]),* }
            }
        }
    };
}

use ObjectType as O;
use ValueKind as K;

roles! {
    Id = "id", K::Id, ["id", "recordid", "recid", "record", "ид", "идентификатор", "objectid", "hsobjectid", "uid", "externalid"];
    Name = "name", K::Text, ["name", "accountname", "companyname", "dealname", "opportunityname", "название", "наименование", "названиесделки", "названиекомпании"];
    FirstName = "first_name", K::Text, ["firstname", "givenname", "forename", "fname", "first", "имя"];
    LastName = "last_name", K::Text, ["lastname", "surname", "familyname", "lname", "last", "фамилия"];
    MiddleName = "middle_name", K::Text, ["middlename", "отчество", "patronymic"];
    FullName = "full_name", K::Text, ["fullname", "contactname", "leadname", "фио", "полноеимя", "контакт"];
    Salutation = "salutation", K::Text, ["salutation", "обращение"];
    Email = "email", K::Email, ["email", "emailaddress", "mail", "workemail", "businessemail", "primaryemail", "электроннаяпочта", "элпочта", "почта", "emailрабочий", "рабочийemail", "емейл", "имейл", "personalemail", "otheremail", "homeemail", "secondaryemail", "alternateemail", "email2", "workemailaddress", "личныйemail", "другойemail", "частныйemail", "emailдлярассылок", "emailличный"];
    Phone = "phone", K::Phone, ["phone", "phonenumber", "businessphone", "workphone", "telephone", "tel", "телефон", "рабочийтелефон", "телефонрабочий", "homephone", "otherphone", "рабочийпрямойтелефон", "домашнийтелефон", "другойтелефон", "телефондлярассылок", "assistantphone", "телефонассистента"];
    MobilePhone = "mobile_phone", K::Phone, ["mobilephone", "mobile", "cell", "cellphone", "mobilephonenumber", "мобильныйтелефон", "мобильный", "телефонмобильный", "сотовый", "сотовыйтелефон"];
    Fax = "fax", K::Phone, ["fax", "faxnumber", "businessfax", "homefax", "факс"];
    Company = "company", K::Text, ["company", "organization", "organisation", "employer", "компания", "организация", "названиекомпании"];
    Title = "title", K::Text, ["title", "jobtitle", "position", "role", "должность"];
    Website = "website", K::Url, ["website", "web", "url", "domain", "companydomainname", "site", "вебсайт", "сайт", "webсайт", "сайткомпании"];
    Street = "street", K::Text, ["street", "mailingstreet", "billingstreet", "address", "address1", "addressline1", "streetaddress", "улица", "адрес"];
    StreetNumber = "street_number", K::Text, ["streetnumber", "housenumber", "streetno", "houseno", "номердома", "дом"];
    Address2 = "address2", K::Text, ["address2", "addressline2", "street2", "mailingstreet2", "billingstreet2"];
    City = "city", K::Text, ["city", "mailingcity", "billingcity", "town", "suburb", "город"];
    State = "state", K::Text, ["state", "mailingstate", "billingstate", "stateregion", "region", "province", "регион", "область"];
    Postcode = "postcode", K::Text, ["postcode", "postalcode", "zip", "zipcode", "mailingpostalcode", "billingpostalcode", "postcodezip", "индекс", "почтовыйиндекс"];
    Country = "country", K::Text, ["country", "mailingcountry", "billingcountry", "countryregion", "страна"];
    NationalId = "national_id", K::Text, ["socsecid", "ssn", "socialsecuritynumber", "nationalid", "nationalidentifier", "taxid", "inn", "инн", "snils", "снилс", "passportnumber"];
    BirthDate = "birth_date", K::Date, ["birthdate", "dateofbirth", "dob", "birthday", "датарождения", "деньрождения"];
    AccountId = "account_id", K::Reference(O::Account), ["accountid", "associatedcompanyid", "companyid", "associatedcompanyids", "idкомпании", "компанияid"];
    ContactId = "contact_id", K::Reference(O::Contact), ["contactid", "associatedcontactid", "primarycontactid", "idконтакта"];
    OwnerId = "owner_id", K::Reference(O::User), ["ownerid", "hubspotownerid", "contactownerid", "userid", "assignedtoid", "idответственного"];
    Owner = "owner", K::Text, ["owner", "ownername", "contactowner", "dealowner", "companyowner", "accountowner", "opportunityowner", "leadowner", "assignedto", "ответственный", "менеджер", "куратор", "менеджерсделки", "ответственныйменеджер"];
    Stage = "stage", K::Text, ["stage", "stagename", "dealstage", "opportunitystage", "pipelinestage", "этап", "этапсделки", "стадия", "стадиясделки", "статуссделки"];
    Pipeline = "pipeline", K::Text, ["pipeline", "воронка"];
    Amount = "amount", K::Money, ["amount", "dealamount", "opportunityamount", "dealvalue", "closevalue", "сумма", "бюджет", "суммасделки", "суммаплан", "плановаясумма"];
    Probability = "probability", K::Percent, ["probability", "probability%", "hsdealstageprobability", "dealprobability", "вероятность"];
    ExpectedRevenue = "expected_revenue", K::Money, ["expectedrevenue", "expectedamount", "hsprojectedamount", "ожидаемаявыручка"];
    CloseDate = "close_date", K::Date, ["closedate", "expectedclosedate", "closedon", "датазакрытия", "датазакрытиясделки", "датаплан", "предполагаемаядатазакрытия", "планируемаядатазакрытия"];
    CreatedAt = "created_at", K::DateTime, ["createddate", "createdat", "createdon", "createdate", "datecreated", "creationdate", "created", "датасоздания", "создано", "создан", "датасозданиясделки", "датасозданияконтакта", "датасозданиякомпании", "датасозданиялида"];
    ModifiedAt = "modified_at", K::DateTime, ["lastmodifieddate", "modifieddate", "lastmodified", "updatedat", "lastmodifiedat", "modifiedon", "systemmodstamp", "датаизменения", "изменено", "датаредактирования"];
    LastActivityAt = "last_activity_at", K::Date, ["lastactivitydate", "lastactivity", "noteslastupdated", "lastactivityat", "lastengagementdate", "hslastsalesactivitytimestamp", "датапоследнейактивности", "последняяактивность"];
    EmailEngagedAt = "email_engaged_at", K::Date, ["hsemaillastopendate", "hsemaillastclickdate", "hsemaillastreplydate", "hssalesemaillastopened", "hssalesemaillastclicked", "hssalesemaillastreplied", "lastemailopen", "lastemailopened", "lastemailopendate", "lastemailclick", "lastemailclicked", "lastemailclickdate", "emaillastopened", "emaillastclicked", "emailverifiedat", "emailverifieddate", "lastemailengagement", "lastemailengagementdate"];
    LeadStatus = "lead_status", K::Text, ["leadstatus", "hsleadstatus", "статуслида"];
    LeadSource = "lead_source", K::Text, ["leadsource", "source", "originalsource", "hsanalyticssource", "источник", "источниклида"];
    LifecycleStage = "lifecycle_stage", K::Text, ["lifecyclestage", "стадияжизненногоцикла"];
    IsConverted = "is_converted", K::Boolean, ["isconverted", "converted", "конвертирован"];
    ConvertedAt = "converted_at", K::Date, ["converteddate", "convertedat", "датаконвертации"];
    ConvertedAccountId = "converted_account_id", K::Reference(O::Account), ["convertedaccountid"];
    ConvertedContactId = "converted_contact_id", K::Reference(O::Contact), ["convertedcontactid"];
    ConvertedDealId = "converted_deal_id", K::Reference(O::Deal), ["convertedopportunityid", "converteddealid"];
    IsClosed = "is_closed", K::Boolean, ["isclosed", "closed", "закрыта", "сделказакрыта"];
    IsWon = "is_won", K::Boolean, ["iswon", "won", "выиграна", "успешна"];
    ForecastCategory = "forecast_category", K::Text, ["forecastcategory", "forecastcategoryname", "hsforecastcategory", "категорияпрогноза"];
    Currency = "currency", K::Text, ["currency", "currencyisocode", "dealcurrencycode", "валюта"];
    NextStep = "next_step", K::Text, ["nextstep", "следующийшаг"];
    LossReason = "loss_reason", K::Text, ["closedlostreason", "lossreason", "reasonlost", "причинаотказа", "причинапроигрыша"];
    EmailBounced = "email_bounced", K::Boolean, ["isemailbounced", "emailbounced", "hsemailbounce", "hsemailbadaddress", "bounced"];
    EmailBouncedAt = "email_bounced_at", K::DateTime, ["emailbounceddate"];
    EmailOptOut = "email_opt_out", K::Boolean, ["hasoptedoutofemail", "hsemailoptout", "emailoptout", "unsubscribed", "optout", "отписан"];
    EmailVerifiedAt = "email_verified_at", K::Date, ["emailverifieddate", "emailverifiedat", "lastverified", "датапроверкиemail"];
    Industry = "industry", K::Text, ["industry", "sector", "отрасль", "сфера", "сферадеятельности"];
    AnnualRevenue = "annual_revenue", K::Money, ["annualrevenue", "revenue", "годоваявыручка", "выручка"];
    Employees = "employees", K::Number, ["numberofemployees", "employees", "employeecount", "headcount", "количествосотрудников", "числосотрудников"];
    Type = "type", K::Text, ["type", "accounttype", "dealtype", "opportunitytype", "companytype", "тип", "типсделки"];
    Description = "description", K::Text, ["description", "notes", "note", "comments", "comment", "описание", "примечание", "комментарий"];
    ParentId = "parent_id", K::Reference(O::Account), ["parentid", "parentaccountid", "parentcompanyid", "hsparentcompanyid"];
    IsActive = "is_active", K::Boolean, ["isactive", "active", "активен"];
    Username = "username", K::Text, ["username", "login", "логин"];
    Subject = "subject", K::Text, ["subject", "тема"];
    Status = "status", K::Text, ["status", "taskstatus", "статус"];
    DueDate = "due_date", K::Date, ["activitydate", "duedate", "deadline", "срок", "крайнийсрок"];
    WhoId = "who_id", K::Id, ["whoid"];
    WhatId = "what_id", K::Id, ["whatid"];
    CaseNumber = "case_number", K::Text, ["casenumber", "ticketnumber", "номеробращения"];
    CaseStatus = "case_status", K::Text, ["casestatus", "hspipelinestage", "статусобращения"];
    CaseOrigin = "case_origin", K::Text, ["origin", "caseorigin", "источникобращения"];
    Priority = "priority", K::Text, ["priority", "hsticketpriority", "приоритет"];
    ClosedAt = "closed_at", K::DateTime, ["closeddate", "dateclosed", "closedat", "датазакрытияобращения", "датазакрытие", "фактическаядатазакрытия"];
    EventStart = "event_start", K::DateTime, ["startdatetime", "activitydatetime", "hsmeetingstarttime", "meetingstarttime", "starttime", "начало"];
    EventEnd = "event_end", K::DateTime, ["enddatetime", "hsmeetingendtime", "meetingendtime", "endtime", "окончание"];
    StartDate = "start_date", K::Date, ["startdate", "датаначала", "периодстарт"];
    EndDate = "end_date", K::Date, ["enddate", "датаокончания", "периодфиниш"];
    BudgetedCost = "budgeted_cost", K::Money, ["budgetedcost"];
    ActualCost = "actual_cost", K::Money, ["actualcost"];
    CampaignId = "campaign_id", K::Reference(O::Campaign), ["campaignid"];
    LeadId = "lead_id", K::Reference(O::Lead), ["leadid"];
    DealId = "deal_id", K::Reference(O::Deal), ["opportunityid", "dealid", "idсделки"];
    ProductId = "product_id", K::Reference(O::Product), ["productid", "product2id"];
    Quantity = "quantity", K::Number, ["quantity", "qty", "количество"];
    UnitPrice = "unit_price", K::Money, ["unitprice", "salesprice", "listprice", "цена"];
    TotalPrice = "total_price", K::Money, ["totalprice", "итого"];
    Outcome = "outcome", K::Text, ["outcome", "closestatus", "dealoutcome", "result", "статусзакрытия", "результат", "итог"];
    ActualAmount = "actual_amount", K::Money, ["actualamount", "wonamount", "суммафакт", "фактическаясумма"];
    IsDeleted = "is_deleted", K::Boolean, ["isdeleted", "fivetrandeleted", "deleted", "archived", "удален"];
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL.iter().copied().find(|r| r.as_str() == s)
    }

    /// Roles whose values are categories (picklists): a report groups by them.
    pub fn is_category(self) -> bool {
        matches!(
            self,
            Role::Stage
                | Role::LeadStatus
                | Role::LeadSource
                | Role::LifecycleStage
                | Role::ForecastCategory
                | Role::Currency
                | Role::Industry
                | Role::Type
                | Role::Status
                | Role::CaseStatus
                | Role::CaseOrigin
                | Role::Priority
                | Role::Pipeline
                | Role::Outcome
                | Role::Salutation
        )
    }

    /// Roles whose value names another record (used by referential checks).
    pub fn references(self) -> Option<ObjectType> {
        match self.kind() {
            ValueKind::Reference(o) => Some(o),
            _ => None,
        }
    }
}

/// Object-specific readings of ambiguous headers, checked before the general aliases.
const OBJECT_ALIASES: &[(ObjectType, &str, Role)] = &[
    (O::Contact, "name", Role::FullName),
    (O::Lead, "name", Role::FullName),
    (O::User, "name", Role::FullName),
    (O::Contact, "accountname", Role::Company),
    (O::Contact, "названиекомпании", Role::Company),
    (O::Lead, "названиекомпании", Role::Company),
    (O::Contact, "account", Role::Company),
    (O::Lead, "accountname", Role::Company),
    (O::Deal, "account", Role::Company),
    (O::Deal, "accountname", Role::Company),
    (O::Deal, "companyname", Role::Company),
    (O::Deal, "компания", Role::Company),
    (O::Deal, "status", Role::Stage),
    (O::Lead, "status", Role::LeadStatus),
    (O::Lead, "статус", Role::LeadStatus),
    (O::Contact, "title", Role::Title),
    (O::Task, "title", Role::Subject),
    (O::Task, "name", Role::Subject),
    (O::Task, "название", Role::Subject),
    (O::Event, "title", Role::Subject),
    (O::Event, "name", Role::Subject),
    // HubSpot: a task's due date is its `hs_timestamp`; engagements are keyed by id.
    (O::Task, "hstimestamp", Role::DueDate),
    (O::Task, "hstasktype", Role::Type),
    (O::Task, "tasktype", Role::Type),
    (O::Task, "engagementid", Role::Id),
    (O::Event, "engagementid", Role::Id),
    (O::Event, "meetingoutcome", Role::Outcome),
    (O::Account, "region", Role::State),
    (O::Account, "phone", Role::Phone),
    (O::Case, "status", Role::CaseStatus),
    (O::Case, "subject", Role::Subject),
    (O::Case, "type", Role::Type),
    // `<object>_id` in the object's own file is its id.
    (O::Account, "accountid", Role::Id),
    (O::Account, "companyid", Role::Id),
    (O::Contact, "contactid", Role::Id),
    (O::Lead, "leadid", Role::Id),
    (O::Deal, "opportunityid", Role::Id),
    (O::Deal, "dealid", Role::Id),
    (O::Case, "caseid", Role::Id),
    (O::Case, "ticketid", Role::Id),
    (O::Campaign, "campaignid", Role::Id),
    (O::Product, "productid", Role::Id),
    (O::Product, "product2id", Role::Id),
    (O::User, "userid", Role::Id),
    (O::User, "ownerid", Role::Id),
    (O::Task, "taskid", Role::Id),
    (O::Event, "eventid", Role::Id),
    (O::Deal, "value", Role::Amount),
    (O::Deal, "клиент", Role::Company),
    (O::Deal, "заказчик", Role::Company),
    (O::Deal, "customer", Role::Company),
    (O::Account, "account", Role::Name),
    (O::Account, "company", Role::Name),
    (O::Product, "name", Role::Name),
    (O::Product, "product", Role::Name),
    (O::Campaign, "name", Role::Name),
];

/// Folds a header for alias lookup: lowercase, letters and digits only (any script),
/// a Salesforce custom-field `__c` suffix dropped.
pub fn header_key(header: &str) -> String {
    let trimmed = header.trim().trim_start_matches('\u{feff}');
    let trimmed = trimmed.strip_suffix("__c").unwrap_or(trimmed);
    trimmed
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '%')
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// The role a header suggests for an object type, if any.
pub fn role_for_header(header: &str, object: Option<ObjectType>) -> Option<Role> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    let lookup = |key: &str| -> Option<Role> {
        if let Some(object) = object
            && let Some((_, _, role)) = OBJECT_ALIASES
                .iter()
                .find(|(o, alias, _)| *o == object && *alias == key)
        {
            return Some(*role);
        }
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.aliases().contains(&key))
    };
    lookup(&key).or_else(|| {
        // HubSpot property names as warehouse syncs (`property_email`) and the API
        // (`properties.email`) write them.
        let rest = key
            .strip_prefix("properties")
            .or_else(|| key.strip_prefix("property"))?;
        // `property_id` is an id of a property, not a record id.
        (rest.len() >= 3 && rest != "id")
            .then(|| lookup(rest))
            .flatten()
    })
}

/// The column → role map of one input.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// Role of each column, by header position.
    roles: Vec<Option<Role>>,
    /// First column with each role.
    by_role: BTreeMap<Role, usize>,
}

impl ColumnMap {
    /// Maps `headers` for `object`. `overrides` (from the rule file's `[columns.<object>]`)
    /// win over inference; each names a role and the headers it may take.
    pub fn infer(
        headers: &[String],
        object: Option<ObjectType>,
        overrides: &BTreeMap<Role, Vec<String>>,
    ) -> ColumnMap {
        let mut roles: Vec<Option<Role>> =
            headers.iter().map(|h| role_for_header(h, object)).collect();
        // `Id` beside `<object>_id`: the plain one is the record id, the other keeps
        // its general meaning (a reference).
        if let Some(plain) = headers.iter().position(|h| header_key(h) == "id") {
            for (i, h) in headers.iter().enumerate() {
                if i != plain && roles[i] == Some(Role::Id) {
                    roles[i] = role_for_header(h, None).filter(|r| *r != Role::Id);
                }
            }
        }
        for (role, names) in overrides {
            let wanted: Vec<String> = names.iter().map(|n| header_key(n)).collect();
            let position = headers.iter().position(|h| wanted.contains(&header_key(h)));
            if let Some(position) = position {
                // An override moves the role: no other column keeps it.
                for r in &mut roles {
                    if *r == Some(*role) {
                        *r = None;
                    }
                }
                roles[position] = Some(*role);
            }
        }
        let mut by_role = BTreeMap::new();
        for (i, role) in roles.iter().enumerate() {
            if let Some(role) = role {
                by_role.entry(*role).or_insert(i);
            }
        }
        ColumnMap { roles, by_role }
    }

    /// Gives a column another role (or none), keeping the first column of each role.
    pub fn set(&mut self, column: usize, role: Option<Role>) {
        self.clear(column);
        if let Some(role) = role {
            self.roles[column] = Some(role);
            let first = self.roles.iter().position(|r| *r == Some(role));
            if let Some(first) = first {
                self.by_role.insert(role, first);
            }
        }
    }

    /// Removes the role of a column.
    pub fn clear(&mut self, column: usize) {
        if let Some(Some(role)) = self.roles.get(column).copied() {
            self.roles[column] = None;
            self.by_role.remove(&role);
            if let Some(other) = self.roles.iter().position(|r| *r == Some(role)) {
                self.by_role.insert(role, other);
            }
        }
    }

    pub fn role(&self, column: usize) -> Option<Role> {
        self.roles.get(column).copied().flatten()
    }

    pub fn column(&self, role: Role) -> Option<usize> {
        self.by_role.get(&role).copied()
    }

    /// All roles present, in column order.
    pub fn roles(&self) -> Vec<Role> {
        self.roles.iter().flatten().copied().collect()
    }

    /// Columns and their roles, in column order.
    pub fn mapped(&self) -> impl Iterator<Item = (usize, Role)> + '_ {
        self.roles
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(h: &str, o: ObjectType) -> Option<Role> {
        role_for_header(h, Some(o))
    }

    #[test]
    fn salesforce_api_names_and_labels_map_alike() {
        assert_eq!(role("StageName", O::Deal), Some(Role::Stage));
        assert_eq!(role("Stage", O::Deal), Some(Role::Stage));
        assert_eq!(role("CloseDate", O::Deal), Some(Role::CloseDate));
        assert_eq!(role("Close Date", O::Deal), Some(Role::CloseDate));
        assert_eq!(role("AccountId", O::Contact), Some(Role::AccountId));
        assert_eq!(role("Account ID", O::Contact), Some(Role::AccountId));
        assert_eq!(role("Mailing Zip/Postal Code", O::Contact), None);
        assert_eq!(role("MailingPostalCode", O::Contact), Some(Role::Postcode));
        assert_eq!(role("Region__c", O::Account), Some(Role::State));
    }

    #[test]
    fn hubspot_internal_names_map() {
        assert_eq!(role("dealstage", O::Deal), Some(Role::Stage));
        assert_eq!(role("hubspot_owner_id", O::Deal), Some(Role::OwnerId));
        assert_eq!(role("createdate", O::Contact), Some(Role::CreatedAt));
        assert_eq!(role("hs_object_id", O::Contact), Some(Role::Id));
    }

    #[test]
    fn russian_headers_map() {
        assert_eq!(role("Эл. почта", O::Contact), Some(Role::Email));
        assert_eq!(role("Телефон", O::Contact), Some(Role::Phone));
        assert_eq!(role("Компания", O::Contact), Some(Role::Company));
        assert_eq!(role("Ответственный", O::Deal), Some(Role::Owner));
        assert_eq!(role("Дата создания", O::Deal), Some(Role::CreatedAt));
        assert_eq!(role("ИД", O::Deal), Some(Role::Id));
    }

    #[test]
    fn name_means_what_the_object_says() {
        assert_eq!(role("Name", O::Account), Some(Role::Name));
        assert_eq!(role("Name", O::Contact), Some(Role::FullName));
        assert_eq!(role("Account Name", O::Contact), Some(Role::Company));
        assert_eq!(role("Account Name", O::Account), Some(Role::Name));
    }

    #[test]
    fn overrides_move_a_role() {
        let headers: Vec<String> = ["Email", "E-mail (work)"].map(String::from).to_vec();
        let mut overrides = BTreeMap::new();
        overrides.insert(Role::Email, vec!["E-mail (work)".to_owned()]);
        let map = ColumnMap::infer(&headers, Some(O::Contact), &overrides);
        assert_eq!(map.column(Role::Email), Some(1));
        assert_eq!(map.role(0), None);
    }
}
