//! Word lists for synthetic records. Invented or common-knowledge values (frequent
//! English given names and surnames, US cities), not copied from any dataset.

pub const FIRST_NAMES: &[&str] = &[
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
    "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Christopher", "Nancy", "Daniel", "Margaret", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Dorothy",
    "Donald", "Sandra", "Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Donna", "Joshua", "Emily",
    "Kenneth", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Edward", "Deborah",
    "Ronald", "Stephanie", "Timothy", "Rebecca", "Jason", "Laura", "Jeffrey", "Helen", "Ryan", "Sharon",
    "Jacob", "Cynthia", "Gary", "Kathleen", "Nicholas", "Amy", "Eric", "Shirley", "Jonathan", "Angela",
    "Stephen", "Anna", "Larry", "Ruth", "Justin", "Brenda", "Scott", "Pamela", "Brandon", "Nicole",
    "Benjamin", "Katherine", "Samuel", "Virginia", "Gregory", "Catherine", "Frank", "Christine", "Alexander", "Samantha",
    "Raymond", "Debra", "Patrick", "Janet", "Jack", "Rachel", "Dennis", "Carolyn", "Jerry", "Emma",
    "Tyler", "Maria", "Aaron", "Heather", "Henry", "Diane", "Douglas", "Julie", "Peter", "Joyce",
    "Adam", "Victoria", "Nathan", "Kelly", "Zachary", "Christina", "Walter", "Joan", "Kyle", "Evelyn",
    "Harold", "Lauren", "Carl", "Judith", "Jeremy", "Olivia", "Gerald", "Frances", "Keith", "Martha",
    "Roger", "Cheryl", "Arthur", "Megan", "Terry", "Andrea", "Lawrence", "Hannah", "Sean", "Jacqueline",
    "Christian", "Ann", "Albert", "Jean", "Joe", "Alice", "Ethan", "Kathryn", "Austin", "Gloria",
    "Ivan", "Olga", "Dmitri", "Natalia", "Sergei", "Elena", "Priya", "Wei", "Mei", "Hiroshi",
    "Yuki", "Carlos", "Sofia", "Luis", "Ana", "Jose", "Fatima", "Omar", "Aisha", "Hans",
];

pub const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
    "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
    "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
    "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
    "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
    "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
    "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
    "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
    "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
    "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
    "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
    "Ivanov", "Petrova", "Smirnov", "Kuznetsova", "Sokolov", "Novak", "Kowalski", "Muller", "Schneider", "Rossi",
    "Tanaka", "Suzuki", "Wang", "Zhang", "Liu", "Singh", "Kumar", "Sharma", "Haddad", "Okafor",
];

/// Given names and a common short form.
pub const NICKNAMES: &[(&str, &str)] = &[
    ("Robert", "Bob"), ("William", "Bill"), ("Richard", "Dick"), ("James", "Jim"), ("John", "Jack"),
    ("Michael", "Mike"), ("Elizabeth", "Liz"), ("Margaret", "Peggy"), ("Katherine", "Kate"), ("Joseph", "Joe"),
    ("Thomas", "Tom"), ("Christopher", "Chris"), ("Daniel", "Dan"), ("Matthew", "Matt"), ("Anthony", "Tony"),
    ("Steven", "Steve"), ("Andrew", "Andy"), ("Kenneth", "Ken"), ("Edward", "Ed"), ("Timothy", "Tim"),
    ("Jeffrey", "Jeff"), ("Nicholas", "Nick"), ("Benjamin", "Ben"), ("Samuel", "Sam"), ("Gregory", "Greg"),
    ("Alexander", "Alex"), ("Patrick", "Pat"), ("Jennifer", "Jen"), ("Patricia", "Trish"), ("Susan", "Sue"),
    ("Jessica", "Jess"), ("Deborah", "Debbie"), ("Rebecca", "Becky"), ("Kimberly", "Kim"), ("Pamela", "Pam"),
    ("Victoria", "Vicky"), ("Christina", "Tina"), ("Samantha", "Sam"), ("Catherine", "Cathy"), ("Dorothy", "Dot"),
    ("Lawrence", "Larry"), ("Douglas", "Doug"), ("Zachary", "Zach"), ("Raymond", "Ray"), ("Gerald", "Jerry"),
    ("Dmitri", "Dima"), ("Natalia", "Natasha"), ("Sergei", "Seryozha"), ("Elena", "Lena"), ("Ivan", "Vanya"),
];

pub const COMPANY_WORDS: &[&str] = &[
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent",
    "Vandelay", "Hooli", "Pied", "Aperture", "Black Mesa", "Massive", "Dynamic", "Blue Sky", "Summit", "Pinnacle",
    "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Adventure", "Alpine", "Coho", "Fourth",
    "Lucerne", "Margie", "Trey", "Wide World", "Woodgrove", "Bluebird", "Redwood", "Silver", "Golden", "Iron",
    "Granite", "Cedar", "Maple", "Oak", "Harbor", "River", "Lake", "Prairie", "Canyon", "Mesa",
];

pub const COMPANY_KINDS: &[&str] = &[
    "Systems", "Logistics", "Foods", "Analytics", "Robotics", "Health", "Energy", "Capital", "Media", "Labs",
    "Software", "Consulting", "Manufacturing", "Retail", "Partners", "Networks", "Solutions", "Industries", "Motors", "Pharma",
];

pub const LEGAL_SUFFIXES: &[&str] = &["Inc.", "LLC", "Corp.", "Ltd", "Co.", "Group", "GmbH", "Inc"];

pub const INDUSTRIES: &[&str] = &[
    "Technology", "Retail", "Manufacturing", "Healthcare", "Finance", "Education", "Energy", "Transportation",
    "Media", "Consulting",
];

pub const TITLES: &[&str] = &[
    "CEO", "CFO", "CTO", "VP Sales", "VP Marketing", "Sales Manager", "Account Executive", "Engineer",
    "Product Manager", "Operations Manager", "Director of IT", "Buyer", "Analyst", "Office Manager", "Consultant",
];

pub const LEAD_SOURCES: &[&str] = &["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Trade Show", "Word of mouth", "Other"];

/// City, state, first three digits of its ZIP codes, area code.
pub const CITIES: &[(&str, &str, &str, &str)] = &[
    ("New York", "NY", "100", "212"), ("Los Angeles", "CA", "900", "213"), ("Chicago", "IL", "606", "312"),
    ("Houston", "TX", "770", "713"), ("Phoenix", "AZ", "850", "602"), ("Philadelphia", "PA", "191", "215"),
    ("San Antonio", "TX", "782", "210"), ("San Diego", "CA", "921", "619"), ("Dallas", "TX", "752", "214"),
    ("San Jose", "CA", "951", "408"), ("Austin", "TX", "787", "512"), ("Jacksonville", "FL", "322", "904"),
    ("Columbus", "OH", "432", "614"), ("Charlotte", "NC", "282", "704"), ("San Francisco", "CA", "941", "415"),
    ("Indianapolis", "IN", "462", "317"), ("Seattle", "WA", "981", "206"), ("Denver", "CO", "802", "303"),
    ("Boston", "MA", "021", "617"), ("Nashville", "TN", "372", "615"), ("Detroit", "MI", "482", "313"),
    ("Portland", "OR", "972", "503"), ("Las Vegas", "NV", "891", "702"), ("Memphis", "TN", "381", "901"),
    ("Louisville", "KY", "402", "502"), ("Baltimore", "MD", "212", "410"), ("Milwaukee", "WI", "532", "414"),
    ("Albuquerque", "NM", "871", "505"), ("Tucson", "AZ", "857", "520"), ("Atlanta", "GA", "303", "404"),
    ("Miami", "FL", "331", "305"), ("Minneapolis", "MN", "554", "612"), ("Cleveland", "OH", "441", "216"),
    ("Pittsburgh", "PA", "152", "412"), ("Newark", "NJ", "071", "973"), ("Hartford", "CT", "061", "860"),
];

pub const STREET_NAMES: &[&str] = &[
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Market",
    "Broad", "Church", "High", "Mill", "River", "Spring", "Union", "Walnut", "Center", "Franklin", "Highland", "Jefferson",
];

pub const STREET_TYPES: &[(&str, &str)] = &[("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Boulevard", "Blvd"), ("Drive", "Dr"), ("Lane", "Ln")];

pub const FREE_MAIL: &[&str] = &["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"];

/// Standard Salesforce opportunity stages with their default probability.
pub const STAGES: &[(&str, u32)] = &[
    ("Prospecting", 10), ("Qualification", 10), ("Needs Analysis", 20), ("Value Proposition", 50),
    ("Id. Decision Makers", 60), ("Perception Analysis", 70), ("Proposal/Price Quote", 75),
    ("Negotiation/Review", 90), ("Closed Won", 100), ("Closed Lost", 0),
];
