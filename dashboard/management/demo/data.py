"""The demo catalogue, people and order mix that ``seed_demo`` draws on."""

from orders.models import Channel

DEMO_PASSWORD = "oms-demo-2024"
STOREFRONT_NAME = "Demo Store"
# username → (role group, first name, last name)
STAFF = {
    "desk": ("order desk", "Dana", "Desk"),
    "warehouse": ("warehouse", "Walt", "Picker"),
    "finance": ("finance", "Fiona", "Ledger"),
    "support": ("support", "Sam", "Helper"),
    "manager": ("manager", "Morgan", "Lead"),
}

# code, name, country, priority, bin aisle letter
WAREHOUSES = [
    ("NJ1", "Newark Distribution Center", "US", 1, "A"),
    ("NV1", "Reno Fulfillment Center", "US", 2, "R"),
    ("NL1", "Rotterdam Warehouse", "NL", 3, "E"),
]
# sku, name, price, weight in kg
CATALOG = [
    ("KIT-MUG-350", "Stoneware Mug 350 ml", "12.50", "0.400"),
    ("KIT-MUG-CMP", "Enamel Camp Mug", "9.90", "0.200"),
    ("KIT-SKL-24", "Cast Iron Skillet 24 cm", "39.00", "2.600"),
    ("KIT-KNF-20", "Chef's Knife 20 cm", "64.00", "0.250"),
    ("KIT-BRD-OAK", "Oak Cutting Board", "29.50", "1.400"),
    ("KIT-FRP-1L", "French Press 1 l", "34.00", "0.900"),
    ("KIT-KTL-17", "Electric Kettle 1.7 l", "49.90", "1.300"),
    ("KIT-GRN-BUR", "Burr Coffee Grinder", "89.00", "1.800"),
    ("KIT-TWL-3", "Linen Tea Towels, set of 3", "18.00", "0.300"),
    ("KIT-JAR-6", "Glass Storage Jars, set of 6", "27.00", "2.100"),
    ("KIT-SCL-DG", "Digital Kitchen Scale", "22.50", "0.600"),
    ("KIT-POT-5L", "Stainless Stock Pot 5 l", "54.00", "2.200"),
    ("HOM-LMP-BR", "Brass Desk Lamp", "79.00", "1.600"),
    ("HOM-CND-CD", "Soy Candle, Cedar", "16.00", "0.450"),
    ("HOM-THR-MW", "Merino Wool Throw", "119.00", "1.200"),
    ("HOM-CSH-LN", "Linen Cushion Cover", "24.00", "0.250"),
    ("HOM-VAS-CR", "Ceramic Vase", "32.00", "0.950"),
    ("HOM-CLK-30", "Wall Clock 30 cm", "45.00", "0.800"),
    ("HOM-RUG-JT", "Jute Rug 120 x 170 cm", "139.00", "4.500"),
    ("HOM-MIR-60", "Round Wall Mirror 60 cm", "98.00", "5.200"),
    ("HOM-BSK-SG", "Seagrass Basket", "28.00", "0.700"),
    ("HOM-FRM-A4", "Oak Picture Frame A4", "19.50", "0.500"),
    ("OUT-TNT-2P", "Two-Person Tent", "219.00", "2.400"),
    ("OUT-BAG-DN", "Down Sleeping Bag", "179.00", "1.100"),
    ("OUT-LMP-HD", "LED Head Lamp", "29.00", "0.100"),
    ("OUT-BTL-750", "Insulated Bottle 750 ml", "27.50", "0.400"),
    ("OUT-PCK-30", "Daypack 30 l", "74.00", "0.850"),
    ("OUT-CHR-FD", "Folding Camp Chair", "49.00", "2.300"),
    ("OUT-STV-GS", "Gas Camping Stove", "59.00", "0.600"),
    ("OUT-MAT-SI", "Self-Inflating Sleeping Mat", "69.00", "1.300"),
    ("OUT-PLS-TK", "Trekking Poles, pair", "54.00", "0.550"),
    ("OFF-NTB-A5", "Dot-Grid Notebook A5", "14.00", "0.350"),
    ("OFF-PEN-FT", "Fountain Pen", "36.00", "0.050"),
    ("OFF-INK-50", "Bottled Ink, Blue, 50 ml", "11.00", "0.150"),
    ("OFF-STD-LP", "Aluminium Laptop Stand", "45.00", "1.100"),
    ("OFF-ORG-WN", "Walnut Desk Organizer", "39.00", "0.900"),
    ("OFF-CHR-MS", "Mesh Office Chair", "249.00", "14.000"),
    ("OFF-MAT-FL", "Felt Desk Mat", "26.00", "0.600"),
    ("ELE-CHG-65", "USB-C Charger 65 W", "39.00", "0.200"),
    ("ELE-CBL-2M", "USB-C Cable 2 m", "12.00", "0.060"),
    ("ELE-SPK-BT", "Bluetooth Speaker", "69.00", "0.550"),
    ("ELE-HPH-NC", "Noise-Cancelling Headphones", "199.00", "0.300"),
    ("ELE-KBD-MC", "Mechanical Keyboard", "119.00", "0.950"),
    ("ELE-MSE-WL", "Wireless Mouse", "34.00", "0.100"),
    ("ELE-PWB-20", "Power Bank 20,000 mAh", "44.00", "0.380"),
    ("GAR-GLV-LT", "Leather Garden Gloves", "19.00", "0.200"),
    ("GAR-CAN-8L", "Galvanised Watering Can 8 l", "38.00", "1.300"),
    ("GAR-PRN-BY", "Bypass Pruner", "29.00", "0.250"),
    ("GAR-PLT-30", "Terracotta Planter 30 cm", "24.00", "3.200"),
    ("GAR-SED-HB", "Herb Seed Collection", "9.50", "0.100"),
]
DISCONTINUED = ("OFF-CAL-25", "Wall Calendar 2025", "15.00", "0.400")
OUT_OF_STOCK = ("OUT-BAG-DN", "HOM-MIR-60", "ELE-KBD-MC")
LOW_STOCK = ("KIT-GRN-BUR", "HOM-RUG-JT", "OFF-PEN-FT", "GAR-CAN-8L")
TAX_RATES = {"DE": "0.1900", "FR": "0.2000", "GB": "0.2000", "NL": "0.2100", "CA": "0.0500"}

FIRST_NAMES = (
    "Ava Liam Noah Emma Olivia Mia Lucas Sofia Amir Chloe Diego Hannah Jonas Léa Mateo Nora Oscar Priya Ravi Sara "
    "Tom Yuki Zoë Ben Clara Elif Felix Grace Hugo Inès Jack Kai Lena Marco Nina Omar Paul Rosa Sven Tara"
).split()
LAST_NAMES = (
    "Smith Johnson García Müller Schmidt Dubois Martin Jansen Brown Wilson Taylor Nguyen Kim Patel Rossi Fischer "
    "Weber Moreau Bernard Clarke Walker Hughes López Novak Andersen Silva Costa Khan Meyer Becker Laurent Visser "
    "Bakker Murphy Kelly Ito Sato Chen Singh"
).split()
COMPANY_WORDS = (
    "Oakridge Northwind Bluebird Harbor Summit Cedar Lakeside Ironwood Meadow Granite Riverside Copperleaf Fairview "
    "Silverline Brightwater Evergreen"
).split()
COMPANY_KINDS = ("Interiors", "Outfitters", "Office Supply", "Hospitality Group", "Design Studio", "Trading Co.")
STREETS = ("Oak", "Maple", "Cedar", "Elm", "Park", "Lake", "Hill", "Mill", "River", "Church", "Station", "Garden")
STREET_FORMAT = {
    "US": "{n} {s} St",
    "CA": "{n} {s} Ave",
    "GB": "{n} {s} Road",
    "DE": "{s}straße {n}",
    "FR": "{n} rue du {s}",
    "NL": "{s}straat {n}",
}
# (city, postal code, region): US states and Canadian provinces go on the label; elsewhere no region.
CITIES = {
    "US": [
        ("Portland", "97205", "OR"),
        ("Austin", "78701", "TX"),
        ("Denver", "80202", "CO"),
        ("Chicago", "60601", "IL"),
        ("Brooklyn", "11201", "NY"),
        ("Seattle", "98101", "WA"),
        ("Boston", "02108", "MA"),
        ("Atlanta", "30303", "GA"),
    ],
    "CA": [("Toronto", "M5V 2T6", "ON"), ("Vancouver", "V6B 1A1", "BC"), ("Montréal", "H2Y 1C6", "QC")],
    "GB": [
        ("London", "EC1A 1BB", ""),
        ("Manchester", "M1 1AE", ""),
        ("Bristol", "BS1 4DJ", ""),
        ("Edinburgh", "EH1 1YZ", ""),
    ],
    "DE": [("Berlin", "10115", ""), ("Hamburg", "20095", ""), ("München", "80331", ""), ("Köln", "50667", "")],
    "FR": [("Paris", "75003", ""), ("Lyon", "69002", ""), ("Bordeaux", "33000", "")],
    "NL": [("Amsterdam", "1012 AB", ""), ("Utrecht", "3511 AA", ""), ("Rotterdam", "3011 AD", "")],
}
PHONE_CODES = {"US": 1, "CA": 1, "GB": 44, "DE": 49, "FR": 33, "NL": 31}
COUNTRY_WEIGHTS = {"US": 58, "CA": 8, "GB": 10, "DE": 11, "FR": 6, "NL": 7}

# Where each demo order ends up, with its share of the orders. Every scenario gets at least one order.
SCENARIOS = {
    "completed": 22,
    "delivered": 12,
    "in_transit": 8,
    "shipped": 6,
    "fulfilling": 7,
    "confirmed": 12,
    "awaiting_transfer": 5,
    "hold_out_of_stock": 4,
    "hold_credit": 3,
    "hold_payment_failed": 3,
    "hold_review": 3,
    "cancelled": 15,
}
# How many days ago such orders were placed (low, high).
PLACED_DAYS_AGO = {
    "completed": (24, 60),
    "delivered": (4, 12),
    "in_transit": (1.5, 5),
    "shipped": (0.3, 2),
    "fulfilling": (0.2, 2),
    "confirmed": (0.05, 1.5),
    "awaiting_transfer": (0.1, 7),
    "hold_out_of_stock": (0.1, 10),
    "hold_credit": (0.1, 10),
    "hold_payment_failed": (0.1, 10),
    "hold_review": (0.1, 6),
    "cancelled": (0.5, 60),
}
CHANNEL_WEIGHTS = {Channel.WEB: 55, Channel.PHONE: 15, Channel.EMAIL: 10, Channel.IN_STORE: 10, Channel.IMPORT: 10}
