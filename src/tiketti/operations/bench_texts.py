"""Words and sentence templates for `tiketti bench-data`, in Finnish, Polish and English.

Messages are built from these templates with words drawn from each language's vocabulary
(frequent words often, rare ones seldom), so the search index gets a realistic spread of
terms rather than one repeated sentence. Benchmark material only: never shown to users.
"""

from __future__ import annotations

FIRST_NAMES = {
    "fi": "Aino Eino Mikko Laura Juha Sanna Matti Anna Timo Riikka Jari Heidi Ville Elina "
    "Antti Katja Pekka Minna Sami Tiina Janne Johanna Markku Päivi Kari Satu Jukka Outi "
    "Tuomas Henna Olli Noora Teemu Emilia Lauri Veera Joonas Iida Aleksi Kaisa",
    "pl": "Anna Piotr Katarzyna Tomasz Magdalena Paweł Agnieszka Krzysztof Joanna Marcin "
    "Ewa Michał Monika Łukasz Aleksandra Jakub Karolina Grzegorz Natalia Wojciech Zofia "
    "Adam Marta Kamil Dorota Mateusz Beata Rafał Justyna Szymon Barbara Bartosz",
    "en": "Emma Oliver Sophie James Charlotte Harry Amelia George Grace Jack Lucy Thomas "
    "Hannah William Chloe Daniel Ella Samuel Mia Joseph Olivia Henry Isla Adam Ruby Ben "
    "Alice Ethan Laura Noah Megan Ryan",
}
LAST_NAMES = {
    "fi": "Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen "
    "Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen "
    "Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen",
    "pl": "Nowak Wójcik Kowalczyk Woźniak Mazur Krawczyk Kaczmarek Zając Król Wieczorek "
    "Wróbel Dudek Stępień Adamczyk Pawlak Sikora Walczak Baran Michalak Szewczyk Ostrowski "
    "Tomaszewski Pietrzak Jabłoński Nowicki Majewski Olszewski Jaworski",
    "en": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
    "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James "
    "Phillips Mason Mitchell Rose Davis Rodriguez Cox Alexander",
}
ORGANISATION_WORDS = {
    "fi": "Pohjolan Järvi Kalliokoski Tuulivoima Metsä Saaristo Revontuli Kivijalka Vesi "
    "Lähi Sähkö Kuljetus Rakennus Kiinteistö Tilitoimisto Konepaja Leipomo Apteekki",
    "pl": "Bałtyk Wisła Tatry Mazowsze Pomorze Orzeł Kraków Bursztyn Sokół Dąb Kujawy "
    "Transport Budownictwo Hurtownia Piekarnia Drukarnia Apteka Serwis",
    "en": "Northgate Riverside Bluebell Highland Oakwood Harbour Summit Meadow Redstone "
    "Kingsway Lakeside Silverline Brightwater Ashford Westfield Beacon Crown Granite",
}
ORGANISATION_KINDS = {
    "fi": ["Oy", "Ab", "Ky", "Osuuskunta", "ry", "Oyj"],
    "pl": ["Sp. z o.o.", "S.A.", "Sp.j.", "Spółdzielnia", "Fundacja"],
    "en": ["Ltd", "plc", "LLP", "Group", "Trust", "& Co"],
}

# Things a request is about (nouns), and what is wrong with them. Listed roughly from
# the most to the least frequent: the generator draws them with falling weights.
THINGS = {
    "fi": "lasku salasana tili tilaus maksu kirjautuminen sähköposti raportti käyttäjä "
    "lisenssi sovellus tulostin verkkokauppa varmuuskopio integraatio tuote hinnasto "
    "asiakasrekisteri palkanlaskenta kuitti ajanvaraus viivakoodi toimitus varasto "
    "alennuskoodi hyvityslasku kassajärjestelmä mobiilisovellus käyttöoikeus kalenteri "
    "tietokanta rajapinta päivitys näyttö liite tunnistautuminen vahvistusviesti "
    "tilausvahvistus reklamaatio lähetysluettelo arvonlisävero tiliote työvuorolista "
    "matkalasku kulukorvaus hälytys palomuuri tulostusjono sopimus takuu",
    "pl": "faktura hasło konto zamówienie płatność logowanie poczta raport użytkownik "
    "licencja aplikacja drukarka sklep kopia integracja produkt cennik baza "
    "wynagrodzenie paragon rezerwacja kod przesyłka magazyn rabat korekta kasa "
    "uprawnienia kalendarz serwer interfejs aktualizacja ekran załącznik weryfikacja "
    "potwierdzenie reklamacja dostawa podatek wyciąg grafik delegacja zwrot alarm "
    "zapora kolejka umowa gwarancja subskrypcja eksport",
    "en": "invoice password account order payment login email report user licence app "
    "printer webshop backup integration product pricelist customer payroll receipt "
    "booking barcode delivery warehouse coupon refund till permissions calendar database "
    "endpoint update screen attachment verification confirmation complaint shipment tax "
    "statement rota expenses alert firewall queue contract warranty subscription export",
}
PROBLEMS = {
    "fi": "ei toimi | näyttää virheilmoituksen | on kadonnut | latautuu hitaasti | "
    "ei aukea | on väärin | puuttuu | jumittuu | ei päivity | on lukittu | "
    "tulostuu tyhjänä | näkyy kahteen kertaan",
    "pl": "nie działa | pokazuje błąd | zniknął | ładuje się wolno | nie otwiera się | "
    "jest błędny | brakuje go | zawiesza się | nie aktualizuje się | jest zablokowany | "
    "drukuje się pusty | pojawia się dwa razy",
    "en": "does not work | shows an error | has disappeared | loads slowly | will not open | "
    "is wrong | is missing | freezes | does not update | is locked | prints blank | "
    "appears twice",
}
SUBJECTS = {
    "fi": [
        "{thing} {problem}",
        "Ongelma: {thing}",
        "{thing} ja {other}",
        "Kysymys: {thing}",
        "Kiire: {thing} {problem}",
        "Apua, {thing} {problem}",
    ],
    "pl": [
        "{thing} {problem}",
        "Problem: {thing}",
        "{thing} i {other}",
        "Pytanie: {thing}",
        "Pilne: {thing} {problem}",
        "Pomocy, {thing} {problem}",
    ],
    "en": [
        "{thing} {problem}",
        "Problem with the {thing}",
        "{thing} and {other}",
        "Question about the {thing}",
        "Urgent: {thing} {problem}",
        "Help, the {thing} {problem}",
    ],
}
QUESTIONS = {
    "fi": [
        "Hei, {thing} {problem} tänä aamuna.",
        "Meillä {thing} {problem} kaikilla käyttäjillä.",
        "Yritin korjata asian itse, mutta {other} {problem}.",
        "Voisitteko tarkistaa, miksi {thing} {problem}?",
        "Asia koskee myös kohdetta {other}.",
        "Ongelma alkoi eilisen päivityksen jälkeen.",
        "Liitteenä kuvakaappaus virheestä.",
        "Tarvitsemme ratkaisun ennen kuun loppua.",
        "Ystävällisin terveisin, {name}",
    ],
    "pl": [
        "Dzień dobry, {thing} {problem} od rana.",
        "U nas {thing} {problem} u wszystkich użytkowników.",
        "Próbowałem to naprawić, ale {other} {problem}.",
        "Czy mogą Państwo sprawdzić, dlaczego {thing} {problem}?",
        "Sprawa dotyczy również: {other}.",
        "Problem zaczął się po wczorajszej aktualizacji.",
        "W załączniku zrzut ekranu z błędem.",
        "Potrzebujemy rozwiązania przed końcem miesiąca.",
        "Z poważaniem, {name}",
    ],
    "en": [
        "Hello, the {thing} {problem} since this morning.",
        "For us the {thing} {problem} for every user.",
        "I tried to fix it myself, but the {other} {problem}.",
        "Could you check why the {thing} {problem}?",
        "This also affects the {other}.",
        "The problem started after yesterday's update.",
        "A screenshot of the error is attached.",
        "We need this solved before the end of the month.",
        "Kind regards, {name}",
    ],
}
REPLIES = {
    "fi": [
        "Kiitos viestistänne, tarkistamme asian.",
        "Korjasimme kohteen {thing} asetukset, kokeilisitteko uudelleen?",
        "Syy löytyi: {other} oli määritetty väärin.",
        "Päivitimme järjestelmän, ja {thing} toimii nyt normaalisti.",
        "Tarvitsisimme vielä tiedon siitä, milloin {thing} {problem}.",
        "Siirsimme pyynnön asiantuntijalle.",
        "Ilmoitattehan, jos ongelma toistuu.",
        "Ystävällisin terveisin, {name}",
    ],
    "pl": [
        "Dziękujemy za wiadomość, sprawdzamy sprawę.",
        "Poprawiliśmy ustawienia: {thing}. Czy mogą Państwo spróbować ponownie?",
        "Znaleźliśmy przyczynę: {other} był źle skonfigurowany.",
        "Zaktualizowaliśmy system i {thing} działa już poprawnie.",
        "Prosimy jeszcze o informację, kiedy {thing} {problem}.",
        "Przekazaliśmy zgłoszenie specjaliście.",
        "Prosimy o kontakt, jeśli problem się powtórzy.",
        "Z poważaniem, {name}",
    ],
    "en": [
        "Thank you for your message, we are looking into it.",
        "We corrected the {thing} settings, could you try again?",
        "We found the cause: the {other} was set up wrongly.",
        "We updated the system and the {thing} works normally now.",
        "Could you tell us when exactly the {thing} {problem}?",
        "We passed the request on to a specialist.",
        "Please let us know if the problem comes back.",
        "Kind regards, {name}",
    ],
}
NOTES = {
    "fi": ["Sisäinen: {thing} liittyy aiempaan tapaukseen.", "Tarkista {other} lokista."],
    "pl": ["Wewnętrzne: {thing} wiąże się z wcześniejszym zgłoszeniem.", "Sprawdzić {other}."],
    "en": ["Internal: the {thing} is linked to an earlier case.", "Check the {other} logs."],
}
CATEGORIES = [
    # slug, English, Finnish, Polish
    ("bench-billing", "Billing", "Laskutus", "Rozliczenia"),
    ("bench-access", "Login and access", "Kirjautuminen", "Logowanie i dostęp"),
    ("bench-fault", "Fault", "Vika", "Awaria"),
    ("bench-question", "Question", "Kysymys", "Pytanie"),
    ("bench-change", "Change request", "Muutospyyntö", "Prośba o zmianę"),
]
TEAMS = [("Bench support", "Penkkituki", "Wsparcie testowe"), ("Bench billing", "", "")]


def words(language: str, table: dict[str, str]) -> list[str]:
    return table[language].split()


def phrases(language: str, table: dict[str, str]) -> list[str]:
    return [part.strip() for part in table[language].split("|")]
