"""Demo help-center content: sections for the demo customers' products and articles in
Finnish, Polish and English, written as real help content. The relevance test set
(tests/knowledge/relevance.py) searches these; `demo.load_demo_articles()` loads them."""

from __future__ import annotations

from .demo import DemoArticle
from .models import Article

SECTIONS = [
    # slug, English, Finnish, Polish, description (en, fi, pl)
    (
        "account",
        "Your account and support",
        "Tili ja tuki",
        "Konto i wsparcie",
        (
            "Signing in, passwords, users, invoices and how support works.",
            "Kirjautuminen, salasanat, käyttäjät, laskut ja tuen toimintatavat.",
            "Logowanie, hasła, użytkownicy, faktury i zasady działania wsparcia.",
        ),
    ),
    (
        "woocommerce",
        "Web shop (WooCommerce)",
        "Verkkokauppa (WooCommerce)",
        "Sklep internetowy (WooCommerce)",
        (
            "Orders, payments, shipping and discounts in your WooCommerce shop.",
            "Tilaukset, maksut, toimitukset ja alennukset WooCommerce-kaupassasi.",
            "Zamówienia, płatności, wysyłki i rabaty w sklepie WooCommerce.",
        ),
    ),
    (
        "wordpress",
        "Websites (WordPress)",
        "Verkkosivut (WordPress)",
        "Strony internetowe (WordPress)",
        (
            "Keeping your WordPress site updated, editing content, outages.",
            "WordPress-sivuston päivitykset, sisällön muokkaus ja katkokset.",
            "Aktualizacje strony WordPress, edycja treści i awarie.",
        ),
    ),
    (
        "membership-registry",
        "Membership registry",
        "Jäsenrekisteri",
        "Rejestr członków",
        (
            "Members, membership fees, text messages, reports and exports.",
            "Jäsenet, jäsenmaksut, tekstiviestit, raportit ja tiedostojen viennit.",
            "Członkowie, składki, SMS-y, raporty i eksporty.",
        ),
    ),
    (
        "odoo",
        "Odoo ERP",
        "Odoo-toiminnanohjaus",
        "System ERP Odoo",
        (
            "Invoicing, bank statements and inventory in Odoo.",
            "Laskutus, tiliotteet ja varasto Odoossa.",
            "Fakturowanie, wyciągi bankowe i magazyn w Odoo.",
        ),
    ),
    (
        "field-service",
        "Field service app",
        "Kenttähuollon sovellus",
        "Aplikacja serwisu terenowego",
        (
            "Work orders, technicians and the mobile app.",
            "Työmääräykset, asentajat ja mobiilisovellus.",
            "Zlecenia, serwisanci i aplikacja mobilna.",
        ),
    ),
]


ARTICLES: list[DemoArticle] = []

# -- Your account and support -------------------------------------------------------------
ARTICLES += [
    DemoArticle(
        "changing-your-password",
        "account",
        help_keys=["account.password"],
        url_patterns=["*/account/password*", "*/wp-admin/profile.php*"],
        en=(
            "Changing your password",
            """\
You can change your password whenever you are signed in.

1. Open **My account → Security**.
2. Type your current password, then the new one twice.
3. Choose **Save password**. Other devices are signed out.

A good password is at least 12 characters long. A sentence of a few words is easy to
remember and hard to guess. Never send a password to support by e-mail: we never ask for it.
""",
        ),
        fi=(
            "Salasanan vaihto",
            """\
Voit vaihtaa salasanasi aina kun olet kirjautuneena.

1. Avaa **Oma tili → Tietoturva**.
2. Kirjoita nykyinen salasana ja sen jälkeen uusi salasana kahdesti.
3. Valitse **Tallenna salasana**. Muut laitteet kirjataan ulos.

Hyvä salasana on vähintään 12 merkkiä pitkä. Muutaman sanan lause on helppo muistaa ja
vaikea arvata. Älä koskaan lähetä salasanaa tukeen sähköpostilla: emme kysy sitä koskaan.
""",
        ),
        pl=(
            "Zmiana hasła",
            """\
Hasło możesz zmienić w każdej chwili po zalogowaniu.

1. Otwórz **Moje konto → Bezpieczeństwo**.
2. Wpisz obecne hasło, a potem dwa razy nowe hasło.
3. Wybierz **Zapisz hasło**. Pozostałe urządzenia zostaną wylogowane.

Dobre hasło ma co najmniej 12 znaków. Zdanie z kilku słów łatwo zapamiętać i trudno
odgadnąć. Nigdy nie wysyłaj hasła do wsparcia e-mailem: nigdy o nie nie prosimy.
""",
        ),
    ),
    DemoArticle(
        "forgotten-password",
        "account",
        help_keys=["account.login"],
        url_patterns=["*/accounts/login*", "*/wp-login.php*"],
        en=(
            "Forgot your password? Reset it",
            """\
If you cannot sign in because you forgot your password, reset it yourself:

1. On the sign-in page choose **Forgot your password?**
2. Enter the e-mail address of your user account.
3. Open the link in the message we send you within 24 hours and choose a new password.

No message? Check the spam folder, and that you used the address your main user added for
you. After five wrong attempts the account is locked for 15 minutes.
""",
        ),
        fi=(
            "Unohtuiko salasana? Näin palautat sen",
            """\
Jos et pääse kirjautumaan, koska salasana on unohtunut, voit palauttaa sen itse:

1. Valitse kirjautumissivulla **Unohtuiko salasana?**
2. Anna käyttäjätunnuksesi sähköpostiosoite.
3. Avaa lähettämämme viestin linkki 24 tunnin kuluessa ja valitse uusi salasana.

Eikö viestiä tullut? Katso roskapostikansio ja varmista, että käytit osoitetta, jonka
pääkäyttäjä on sinulle lisännyt. Viiden väärän yrityksen jälkeen tunnus lukittuu 15
minuutiksi.
""",
        ),
        pl=(
            "Nie pamiętasz hasła? Zresetuj je",
            """\
Jeśli nie możesz się zalogować, bo zapomniałeś hasła, zresetuj je samodzielnie:

1. Na stronie logowania wybierz **Nie pamiętasz hasła?**
2. Podaj adres e-mail swojego konta użytkownika.
3. Otwórz link z wiadomości, którą wyślemy, w ciągu 24 godzin i ustaw nowe hasło.

Wiadomość nie dotarła? Sprawdź folder spam i czy użyłeś adresu dodanego przez
użytkownika głównego. Po pięciu błędnych próbach konto jest blokowane na 15 minut.
""",
        ),
    ),
    DemoArticle(
        "two-step-verification",
        "account",
        help_keys=["account.2fa"],
        en=(
            "Turning on two-step verification",
            """\
Two-step verification asks for a six-digit code from an authenticator app in addition to
your password, so a stolen password alone is not enough to sign in.

1. Open **My account → Security → Two-step verification**.
2. Scan the QR code with an authenticator app (for example Google Authenticator or Aegis).
3. Type the code the app shows and store the backup codes somewhere safe.

Lost your phone? Sign in with a backup code, or ask your main user to reset the
verification for you.
""",
        ),
        fi=(
            "Kaksivaiheisen tunnistautumisen käyttöönotto",
            """\
Kaksivaiheinen tunnistautuminen kysyy salasanan lisäksi kuusinumeroisen koodin
todennussovelluksesta, joten pelkkä varastettu salasana ei riitä kirjautumiseen.

1. Avaa **Oma tili → Tietoturva → Kaksivaiheinen tunnistautuminen**.
2. Lue QR-koodi todennussovelluksella (esimerkiksi Google Authenticator tai Aegis).
3. Kirjoita sovelluksen näyttämä koodi ja tallenna varakoodit turvalliseen paikkaan.

Puhelin kadonnut? Kirjaudu varakoodilla tai pyydä pääkäyttäjää nollaamaan
tunnistautuminen.
""",
        ),
        pl=(
            "Włączanie weryfikacji dwuetapowej",
            """\
Weryfikacja dwuetapowa oprócz hasła wymaga sześciocyfrowego kodu z aplikacji
uwierzytelniającej, więc samo skradzione hasło nie wystarczy do zalogowania.

1. Otwórz **Moje konto → Bezpieczeństwo → Weryfikacja dwuetapowa**.
2. Zeskanuj kod QR aplikacją uwierzytelniającą (na przykład Google Authenticator lub Aegis).
3. Wpisz kod z aplikacji i zapisz kody zapasowe w bezpiecznym miejscu.

Zgubiony telefon? Zaloguj się kodem zapasowym albo poproś użytkownika głównego o
zresetowanie weryfikacji.
""",
        ),
    ),
    DemoArticle(
        "adding-users",
        "account",
        help_keys=["account.users"],
        en=(
            "Adding users and main users",
            """\
Only your organisation's **main users** can file support requests for the whole
organisation and add new users.

1. Open **Settings → Users** and choose **Add user**.
2. Enter the person's name and e-mail address and pick a role: *main user* or *user*.
3. The new user receives an invitation to set a password.

Ordinary users see their own requests only. To remove someone who has left, deactivate
the user: their requests and history stay.
""",
        ),
        fi=(
            "Käyttäjien ja pääkäyttäjien lisääminen",
            """\
Vain organisaatiosi **pääkäyttäjät** voivat jättää tukipyyntöjä koko organisaation
puolesta ja lisätä uusia käyttäjiä.

1. Avaa **Asetukset → Käyttäjät** ja valitse **Lisää käyttäjä**.
2. Anna henkilön nimi ja sähköpostiosoite ja valitse rooli: *pääkäyttäjä* tai *käyttäjä*.
3. Uusi käyttäjä saa kutsun, jolla hän asettaa salasanan.

Tavalliset käyttäjät näkevät vain omat pyyntönsä. Poista lähtenyt työntekijä
passivoimalla käyttäjä: hänen pyyntönsä ja historiansa säilyvät.
""",
        ),
        pl=(
            "Dodawanie użytkowników i użytkowników głównych",
            """\
Tylko **użytkownicy główni** Twojej organizacji mogą składać zgłoszenia w imieniu całej
organizacji i dodawać nowych użytkowników.

1. Otwórz **Ustawienia → Użytkownicy** i wybierz **Dodaj użytkownika**.
2. Podaj imię i nazwisko oraz adres e-mail i wybierz rolę: *użytkownik główny* lub
   *użytkownik*.
3. Nowy użytkownik otrzyma zaproszenie do ustawienia hasła.

Zwykli użytkownicy widzą tylko własne zgłoszenia. Osobę, która odeszła z firmy,
dezaktywuj: jej zgłoszenia i historia zostaną zachowane.
""",
        ),
    ),
    DemoArticle(
        "your-invoices",
        "account",
        help_keys=["account.invoices"],
        en=(
            "Finding your invoices and changing the billing address",
            """\
All invoices for your support contract are in **My account → Invoices** as PDF files.
Each invoice lists the monthly fee and any extra work billed by the hour.

- **Need a copy?** Download the PDF again at any time.
- **Wrong billing address or VAT number?** Update it under **Billing details**; the
  change applies from the next invoice.
- **E-invoicing:** give us your e-invoice address and operator and we switch the delivery.

Questions about a specific invoice: file a request in the *Billing* category.
""",
        ),
        fi=(
            "Laskujen löytäminen ja laskutusosoitteen muuttaminen",
            """\
Kaikki tukisopimuksesi laskut löytyvät PDF-tiedostoina kohdasta **Oma tili → Laskut**.
Laskulla näkyvät kuukausimaksu ja mahdollinen tuntiperusteinen lisätyö.

- **Tarvitsetko kopion?** Lataa PDF uudelleen milloin tahansa.
- **Väärä laskutusosoite tai Y-tunnus?** Päivitä se kohdassa **Laskutustiedot**; muutos
  koskee seuraavaa laskua.
- **Verkkolasku:** kerro verkkolaskuosoitteesi ja välittäjäsi, niin vaihdamme
  toimitustavan.

Kysymykset yksittäisestä laskusta: jätä pyyntö luokassa *Laskutus*.
""",
        ),
        pl=(
            "Gdzie znaleźć faktury i jak zmienić dane do faktury",
            """\
Wszystkie faktury za umowę wsparcia znajdziesz jako pliki PDF w **Moje konto → Faktury**.
Na fakturze widać opłatę miesięczną i ewentualną dodatkową pracę rozliczaną godzinowo.

- **Potrzebujesz duplikatu?** Pobierz PDF ponownie w dowolnej chwili.
- **Błędny adres lub NIP?** Zmień je w **Dane do faktury**; zmiana obowiązuje od
  następnej faktury.
- **E-faktura:** podaj adres do e-faktur, a zmienimy sposób wysyłki.

Pytania o konkretną fakturę: złóż zgłoszenie w kategorii *Rozliczenia*.
""",
        ),
    ),
    DemoArticle(
        "support-hours-and-response-times",
        "account",
        kind=Article.Kind.FAQ,
        en=(
            "When does support answer?",
            """\
Support is open on weekdays from 9:00 to 16:00, except public holidays. We answer every
request within two business days, usually much sooner. Requests that arrive before
16:00 are answered the same business day.

Payment and subscription problems are handled the same day. If your site is down or
under attack, file a request and then call us: acute outages are escalated by phone.
""",
        ),
        fi=(
            "Milloin tuki vastaa?",
            """\
Tuki palvelee arkisin kello 9–16, ei arkipyhinä. Vastaamme jokaiseen pyyntöön kahden
arkipäivän kuluessa, yleensä paljon nopeammin. Ennen kello 16 saapuneisiin pyyntöihin
vastataan samana arkipäivänä.

Maksuihin ja tilauksiin liittyvät ongelmat hoidetaan samana päivänä. Jos sivustosi on
kaatunut tai sen kimppuun hyökätään, jätä pyyntö ja soita sitten: akuutit katkot
eskaloidaan puhelimitse.
""",
        ),
        pl=(
            "Kiedy odpowiada wsparcie?",
            """\
Wsparcie działa w dni robocze w godzinach 9:00–16:00, z wyjątkiem świąt. Na każde
zgłoszenie odpowiadamy w ciągu dwóch dni roboczych, zwykle dużo szybciej. Zgłoszenia
przesłane przed 16:00 otrzymują odpowiedź tego samego dnia roboczego.

Problemy z płatnościami i subskrypcją rozwiązujemy tego samego dnia. Jeśli strona nie
działa albo jest atakowana, złóż zgłoszenie i zadzwoń: pilne awarie obsługujemy
telefonicznie.
""",
        ),
    ),
    DemoArticle(
        "sending-personal-data-safely",
        "account",
        kind=Article.Kind.FAQ,
        en=(
            "How do I send personal data to support safely?",
            """\
Do not put personal data such as personal identity numbers, health information or
member lists in e-mail. E-mail is not encrypted end to end.

Instead, sign in and attach the file to your request in the portal: attachments there are
stored encrypted and only the staff handling your request can open them. If you only need
to point us at a record, give the member number or order number instead of the person's
details.
""",
        ),
        fi=(
            "Miten lähetän henkilötietoja tukeen turvallisesti?",
            """\
Älä lähetä henkilötietoja, kuten henkilötunnuksia, terveystietoja tai jäsenluetteloita,
sähköpostilla. Sähköposti ei ole päästä päähän salattu.

Kirjaudu sen sijaan sisään ja liitä tiedosto pyyntöön portaalissa: liitteet tallennetaan
salattuina, ja vain pyyntöäsi käsittelevä henkilöstö voi avata ne. Jos haluat vain
osoittaa tietyn tietueen, kerro jäsennumero tai tilausnumero henkilön tietojen sijaan.
""",
        ),
        pl=(
            "Jak bezpiecznie przesłać dane osobowe do wsparcia?",
            """\
Nie wysyłaj e-mailem danych osobowych, takich jak numery PESEL, dane o zdrowiu czy listy
członków. Poczta e-mail nie jest szyfrowana od końca do końca.

Zamiast tego zaloguj się i dołącz plik do zgłoszenia w portalu: załączniki są tam
przechowywane w postaci zaszyfrowanej i mogą je otworzyć tylko osoby obsługujące
zgłoszenie. Jeśli chcesz wskazać konkretny rekord, podaj numer członka lub numer
zamówienia zamiast danych osoby.
""",
        ),
    ),
    DemoArticle(
        "priority-requests",
        "account",
        kind=Article.Kind.FAQ,
        en=(
            "What is a priority request and what does it cost?",
            """\
A priority request jumps the queue: it is answered before normal requests, also on
Sundays and public holidays. Because everyone used to mark their requests *high*,
priority now costs a small fee per request, which keeps it for real emergencies.

Choose **Priority** when you file the request. The fee appears on your next invoice. If
the problem turns out to be our fault, the fee is refunded.
""",
        ),
        fi=(
            "Mikä on kiireellinen pyyntö ja mitä se maksaa?",
            """\
Kiireellinen pyyntö ohittaa jonon: siihen vastataan ennen tavallisia pyyntöjä, myös
sunnuntaisin ja pyhäpäivinä. Koska kaikki merkitsivät ennen pyyntönsä *korkeiksi*,
kiireellisyys maksaa nyt pienen pyyntökohtaisen maksun, joka säästää sen todellisiin
hätätilanteisiin.

Valitse **Kiireellinen**, kun jätät pyynnön. Maksu näkyy seuraavalla laskullasi. Jos
vika osoittautuu meidän virheeksemme, maksu hyvitetään.
""",
        ),
        pl=(
            "Czym jest zgłoszenie priorytetowe i ile kosztuje?",
            """\
Zgłoszenie priorytetowe omija kolejkę: odpowiadamy na nie przed zwykłymi zgłoszeniami,
także w niedziele i święta. Ponieważ wszyscy oznaczali zgłoszenia jako *wysokie*,
priorytet kosztuje teraz niewielką opłatę za zgłoszenie, dzięki czemu służy prawdziwym
awariom.

Wybierz **Priorytet** przy składaniu zgłoszenia. Opłata pojawi się na następnej fakturze.
Jeśli problem okaże się naszą winą, opłata zostanie zwrócona.
""",
        ),
    ),
]

# -- Web shop (WooCommerce) -----------------------------------------------------------------
ARTICLES += [
    DemoArticle(
        "creating-a-discount-code",
        "woocommerce",
        help_keys=["shop.coupons"],
        url_patterns=["*/wp-admin/edit.php?post_type=shop_coupon*"],
        en=(
            "Creating a discount code",
            """\
Discount codes (coupons) are made in **Marketing → Coupons → Add coupon**.

1. Type the code customers enter at checkout, for example `SPRING20`.
2. Choose the discount type: percentage, fixed cart discount or fixed product discount.
3. Under **Usage restriction** limit the code to products, categories or a minimum spend.
4. Under **Usage limits** set how many times the code can be used in total and per
   customer.
5. Set an expiry date if the offer is only valid for a weekend or a campaign.

A code that "does not work" has usually expired or the cart is below the minimum spend.
""",
        ),
        fi=(
            "Alennuskoodin luominen",
            """\
Alennuskoodit (kupongit) luodaan kohdassa **Markkinointi → Kupongit → Lisää kuponki**.

1. Kirjoita koodi, jonka asiakas syöttää kassalla, esimerkiksi `KEVAT20`.
2. Valitse alennuksen tyyppi: prosenttialennus, kiinteä ostoskorialennus tai kiinteä
   tuotealennus.
3. Kohdassa **Käytön rajoitukset** rajaa koodi tuotteisiin, tuoteryhmiin tai
   vähimmäisostokseen.
4. Kohdassa **Käyttörajat** määritä, montako kertaa koodia voi käyttää yhteensä ja
   asiakasta kohden.
5. Aseta vanhenemispäivä, jos tarjous on voimassa vain viikonlopun tai kampanjan ajan.

Jos koodi "ei toimi", se on yleensä vanhentunut tai ostoskori jää alle vähimmäissumman.
""",
        ),
        pl=(
            "Tworzenie kodu rabatowego",
            """\
Kody rabatowe (kupony) tworzy się w **Marketing → Kupony → Dodaj kupon**.

1. Wpisz kod, który klient poda w kasie, na przykład `WIOSNA20`.
2. Wybierz rodzaj rabatu: procentowy, stały rabat na koszyk lub stały rabat na produkt.
3. W sekcji **Ograniczenia użycia** ogranicz kod do produktów, kategorii lub minimalnej
   kwoty zamówienia.
4. W sekcji **Limity użycia** ustaw, ile razy kod można wykorzystać łącznie i na klienta.
5. Ustaw datę wygaśnięcia, jeśli promocja trwa tylko weekend albo czas kampanii.

Kod, który "nie działa", zwykle wygasł albo koszyk nie osiąga minimalnej kwoty.
""",
        ),
    ),
    DemoArticle(
        "customers-cannot-pay",
        "woocommerce",
        help_keys=["shop.checkout"],
        url_patterns=["*/checkout*", "*/kassa*"],
        en=(
            "Customers cannot pay at checkout",
            """\
When the payment step fails, check these in order:

1. **Payment provider status.** Paytrail, Stripe and Przelewy24 publish their outages on
   their status pages.
2. **API keys.** In **WooCommerce → Settings → Payments** open the payment method and
   check that the merchant ID and secret key are the live ones, not test keys.
3. **Error 500 at checkout.** A plugin update often causes it. Tell us the time of the
   failed payment and the order number; we read the server log.
4. **Orders stuck in "Pending payment".** The provider's return call did not reach the
   shop. We can check the callback address for you.

Payment problems are handled the same business day.
""",
        ),
        fi=(
            "Asiakkaat eivät pääse maksamaan kassalla",
            """\
Kun maksuvaihe epäonnistuu, tarkista nämä järjestyksessä:

1. **Maksupalvelun tila.** Paytrail, Stripe ja Przelewy24 kertovat häiriöistään
   tilasivuillaan.
2. **Rajapinta-avaimet.** Avaa maksutapa kohdassa **WooCommerce → Asetukset → Maksut** ja
   varmista, että kauppiastunnus ja salainen avain ovat tuotantoavaimia eivätkä
   testiavaimia.
3. **Virhe 500 kassalla.** Syy on usein lisäosan päivitys. Kerro epäonnistuneen maksun
   kellonaika ja tilausnumero, niin luemme palvelimen lokin.
4. **Tilaukset jäävät tilaan "Odottaa maksua".** Maksupalvelun paluukutsu ei tavoittanut
   kauppaa. Voimme tarkistaa paluuosoitteen puolestasi.

Maksuongelmat hoidetaan samana arkipäivänä.
""",
        ),
        pl=(
            "Klienci nie mogą zapłacić w kasie",
            """\
Gdy krok płatności się nie udaje, sprawdź po kolei:

1. **Status operatora płatności.** Paytrail, Stripe i Przelewy24 publikują awarie na
   swoich stronach statusu.
2. **Klucze API.** W **WooCommerce → Ustawienia → Płatności** otwórz metodę płatności i
   sprawdź, czy identyfikator sprzedawcy i klucz są produkcyjne, a nie testowe.
3. **Błąd 500 w kasie.** Często powoduje go aktualizacja wtyczki. Podaj godzinę nieudanej
   płatności i numer zamówienia, a sprawdzimy log serwera.
4. **Zamówienia wiszą w stanie "Oczekuje na płatność".** Powiadomienie od operatora nie
   dotarło do sklepu. Możemy sprawdzić adres powrotny.

Problemy z płatnościami rozwiązujemy tego samego dnia roboczego.
""",
        ),
    ),
    DemoArticle(
        "inpost-shipping-labels",
        "woocommerce",
        help_keys=["shop.shipping.inpost"],
        en=(
            "InPost shipping labels are not created",
            """\
The InPost integration creates a shipping label and a tracking number when you mark an
order ready to ship. If labels stop being created:

- **"Unauthorized" / "Brak autoryzacji":** the InPost API token has expired. Generate a
  new token in the InPost Manager (Settings → API) and paste it into **WooCommerce →
  Settings → Shipping → InPost**.
- **Parcel locker not found:** the customer chose a locker that has been closed. Ask them
  to choose another Paczkomat or switch the order to courier delivery.
- **Dimensions missing:** every product needs a weight and a parcel size (A, B or C).

Labels are PDF files attached to the order notes.
""",
        ),
        fi=(
            "InPost-lähetystarrat eivät synny",
            """\
InPost-integraatio luo lähetystarran ja seurantakoodin, kun merkitset tilauksen
lähetysvalmiiksi. Jos tarroja ei enää synny:

- **"Unauthorized" / "Brak autoryzacji":** InPostin rajapintatunnus on vanhentunut. Luo uusi
  tunnus InPost Managerissa (Asetukset → API) ja liitä se kohtaan **WooCommerce →
  Asetukset → Toimitus → InPost**.
- **Pakettiautomaattia ei löydy:** asiakkaan valitsema automaatti on suljettu. Pyydä
  valitsemaan toinen automaatti tai vaihda tilaus kuriiritoimitukseksi.
- **Mitat puuttuvat:** jokaisella tuotteella pitää olla paino ja pakettikoko (A, B tai C).

Tarrat ovat PDF-tiedostoja tilauksen muistiinpanoissa.
""",
        ),
        pl=(
            "Etykiety InPost nie generują się",
            """\
Integracja InPost tworzy etykietę i numer śledzenia, gdy oznaczysz zamówienie jako
gotowe do wysyłki. Jeśli etykiety przestały się generować:

- **"Unauthorized" / "Brak autoryzacji":** token API InPost wygasł. Wygeneruj nowy token w
  InPost Managerze (Ustawienia → API) i wklej go w **WooCommerce → Ustawienia → Wysyłka
  → InPost**.
- **Nie znaleziono paczkomatu:** wybrany przez klienta Paczkomat został zamknięty. Poproś
  o wybór innego albo zmień zamówienie na dostawę kurierską.
- **Brak wymiarów:** każdy produkt musi mieć wagę i gabaryt paczki (A, B lub C).

Etykiety to pliki PDF dołączone do notatek zamówienia.
""",
        ),
    ),
    DemoArticle(
        "posti-shipping-methods",
        "woocommerce",
        help_keys=["shop.shipping.posti"],
        en=(
            "Setting up Posti shipping methods",
            """\
With the Posti integration customers choose a pickup point or home delivery at checkout,
and the shop prints Posti address cards.

1. Ask Posti for your customer number and API credentials (Posti SmartShip / Pakettikauppa).
2. Enter them in **WooCommerce → Settings → Shipping → Posti**.
3. Add the methods you offer to each shipping zone: *Postipaketti*, *Kotipaketti*,
   *Express*.
4. Set prices by weight class, or free shipping above an order total.

If the pickup point list stays empty, the customer's postcode is missing or invalid.
""",
        ),
        fi=(
            "Postin toimitustapojen käyttöönotto",
            """\
Posti-integraation avulla asiakas valitsee kassalla noutopisteen tai kotiinkuljetuksen,
ja kauppa tulostaa Postin osoitekortit.

1. Pyydä Postilta asiakasnumero ja rajapintatunnukset (Posti SmartShip / Pakettikauppa).
2. Syötä ne kohtaan **WooCommerce → Asetukset → Toimitus → Posti**.
3. Lisää tarjoamasi toimitustavat kuhunkin toimitusalueeseen: *Postipaketti*,
   *Kotipaketti*, *Express*.
4. Hinnoittele painoluokittain tai anna ilmainen toimitus tietyn tilaussumman ylittyessä.

Jos noutopisteiden luettelo jää tyhjäksi, asiakkaan postinumero puuttuu tai on
virheellinen.
""",
        ),
        pl=(
            "Konfiguracja metod wysyłki Posti",
            """\
Dzięki integracji z Posti klient wybiera w kasie punkt odbioru lub dostawę do domu, a
sklep drukuje etykiety adresowe Posti.

1. Poproś Posti o numer klienta i dane dostępowe API (Posti SmartShip / Pakettikauppa).
2. Wpisz je w **WooCommerce → Ustawienia → Wysyłka → Posti**.
3. Dodaj oferowane metody do każdej strefy wysyłki: *Postipaketti*, *Kotipaketti*,
   *Express*.
4. Ustal ceny według klasy wagowej albo darmową wysyłkę od określonej kwoty zamówienia.

Jeśli lista punktów odbioru jest pusta, brakuje kodu pocztowego klienta lub jest błędny.
""",
        ),
    ),
    DemoArticle(
        "refunding-an-order",
        "woocommerce",
        help_keys=["shop.orders.refund"],
        en=(
            "Refunding an order",
            """\
1. Open **WooCommerce → Orders** and the order to refund.
2. Choose **Refund**, enter the quantities or the amount to return, and a reason.
3. **Refund via the payment provider** returns the money automatically to the card or
   bank; **Refund manually** only records it, and you pay the money back yourself.

Stock is restored when you tick *Restock refunded items*. A partial refund leaves the
order in "Processing"; a full refund sets it to "Refunded".
""",
        ),
        fi=(
            "Tilauksen hyvittäminen ja rahojen palautus",
            """\
1. Avaa **WooCommerce → Tilaukset** ja hyvitettävä tilaus.
2. Valitse **Hyvitys**, syötä palautettavat määrät tai summa sekä syy.
3. **Hyvitä maksupalvelun kautta** palauttaa rahat automaattisesti kortille tai tilille;
   **Hyvitä manuaalisesti** vain kirjaa hyvityksen, ja maksat rahat itse takaisin.

Varastosaldo palautuu, kun valitset *Palauta hyvitetyt tuotteet varastoon*. Osittainen
hyvitys jättää tilauksen tilaan "Käsittelyssä"; täysi hyvitys muuttaa tilaksi
"Hyvitetty".
""",
        ),
        pl=(
            "Zwrot pieniędzy za zamówienie",
            """\
1. Otwórz **WooCommerce → Zamówienia** i zamówienie do zwrotu.
2. Wybierz **Zwrot**, podaj ilości lub kwotę do zwrotu oraz powód.
3. **Zwrot przez operatora płatności** oddaje pieniądze automatycznie na kartę lub konto;
   **Zwrot ręczny** tylko go odnotowuje, a pieniądze oddajesz sam.

Stan magazynowy wraca, gdy zaznaczysz *Przywróć zwrócone produkty do magazynu*.
Częściowy zwrot zostawia zamówienie w stanie "W realizacji"; pełny zmienia stan na
"Zwrócone".
""",
        ),
    ),
    DemoArticle(
        "importing-products-from-csv",
        "woocommerce",
        help_keys=["shop.products.import"],
        en=(
            "Importing products from a CSV file",
            """\
Add or update many products at once with **Products → Import**.

1. Download the CSV template attached to this article and fill in one product per row.
2. The SKU column identifies a product: rows with an existing SKU update it.
3. Images are given as full web addresses, separated by commas.
4. Choose **Update existing products** to change prices or stock in bulk.

Save the file as UTF-8, or Finnish and Polish letters (ä, ö, ł, ś) turn into garbage.
""",
        ),
        fi=(
            "Tuotteiden tuonti CSV-tiedostosta",
            """\
Lisää tai päivitä monta tuotetta kerralla kohdassa **Tuotteet → Tuo**.

1. Lataa tämän artikkelin liitteenä oleva CSV-pohja ja täytä yksi tuote riville.
2. SKU-sarake tunnistaa tuotteen: rivit, joiden SKU on jo olemassa, päivittävät sen.
3. Kuvat annetaan täysinä verkko-osoitteina pilkuilla erotettuina.
4. Valitse **Päivitä olemassa olevat tuotteet**, kun haluat muuttaa hintoja tai saldoja
   massana.

Tallenna tiedosto UTF-8-muodossa, muuten ääkköset (ä, ö) muuttuvat merkkisotkuksi.
""",
        ),
        pl=(
            "Import produktów z pliku CSV",
            """\
Dodaj lub zaktualizuj wiele produktów naraz w **Produkty → Import**.

1. Pobierz szablon CSV dołączony do tego artykułu i wypełnij jeden produkt w wierszu.
2. Kolumna SKU identyfikuje produkt: wiersze z istniejącym SKU go aktualizują.
3. Zdjęcia podaje się jako pełne adresy internetowe, oddzielone przecinkami.
4. Wybierz **Aktualizuj istniejące produkty**, aby zmienić ceny lub stany hurtowo.

Zapisz plik w UTF-8, inaczej polskie znaki (ł, ś, ż) zamienią się w krzaczki.
""",
        ),
    ),
    DemoArticle(
        "order-emails-not-arriving",
        "woocommerce",
        help_keys=["shop.emails"],
        en=(
            "Order confirmation e-mails do not arrive",
            """\
If customers say they get no order confirmation:

1. Check **WooCommerce → Settings → Emails**: *Processing order* must be enabled.
2. Send a test order to yourself and look in the spam folder.
3. Make sure the sender address belongs to your own domain and that the domain has SPF
   and DKIM records: mail from a domain without them is often rejected.

If the shop sends through an SMTP plugin, its log shows whether the message left. Send us
the order number and the customer's e-mail address and we trace the message.
""",
        ),
        fi=(
            "Tilausvahvistukset eivät tule perille",
            """\
Jos asiakkaat kertovat, ettei tilausvahvistusta tule:

1. Tarkista **WooCommerce → Asetukset → Sähköpostit**: *Käsittelyssä oleva tilaus* on
   oltava käytössä.
2. Tee testitilaus itsellesi ja katso roskapostikansio.
3. Varmista, että lähettäjän osoite on omassa verkkotunnuksessasi ja että
   verkkotunnuksella on SPF- ja DKIM-tietueet: ilman niitä lähetetty posti hylätään usein.

Jos kauppa lähettää postin SMTP-lisäosan kautta, sen lokista näkee, lähtikö viesti.
Kerro meille tilausnumero ja asiakkaan sähköpostiosoite, niin jäljitämme viestin.
""",
        ),
        pl=(
            "Potwierdzenia zamówień nie docierają do klientów",
            """\
Jeśli klienci mówią, że nie dostają potwierdzenia zamówienia:

1. Sprawdź **WooCommerce → Ustawienia → E-maile**: *Zamówienie w realizacji* musi być
   włączone.
2. Złóż testowe zamówienie na swój adres i zajrzyj do folderu spam.
3. Upewnij się, że adres nadawcy jest w Twojej domenie i że domena ma rekordy SPF i DKIM:
   poczta z domeny bez nich jest często odrzucana.

Jeśli sklep wysyła pocztę przez wtyczkę SMTP, jej log pokaże, czy wiadomość wyszła.
Podaj numer zamówienia i adres e-mail klienta, a prześledzimy wiadomość.
""",
        ),
    ),
    DemoArticle(
        "shop-admin-video-tour",
        "woocommerce",
        kind=Article.Kind.VIDEO,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        en=(
            "Video: a tour of your shop's admin",
            """\
This ten-minute video walks through the daily work in the shop's admin: finding new
orders, printing packing slips, changing an order's status, answering a customer's
message and checking the day's sales report.

The video plays from YouTube only after you choose to load it.
""",
        ),
        fi=(
            "Video: verkkokaupan hallinnan esittely",
            """\
Tämä kymmenen minuutin video näyttää verkkokaupan hallinnan päivittäiset työt: uusien
tilausten löytämisen, lähetteiden tulostamisen, tilauksen tilan muuttamisen, asiakkaan
viestiin vastaamisen ja päivän myyntiraportin tarkistamisen.

Video toistetaan YouTubesta vasta, kun valitset sen lataamisen.
""",
        ),
        pl=(
            "Film: przegląd panelu administracyjnego sklepu",
            """\
Ten dziesięciominutowy film pokazuje codzienną pracę w panelu sklepu: wyszukiwanie nowych
zamówień, drukowanie listów przewozowych, zmianę statusu zamówienia, odpowiadanie na
wiadomość klienta i sprawdzanie dziennego raportu sprzedaży.

Film odtwarza się z YouTube dopiero, gdy zdecydujesz się go załadować.
""",
        ),
    ),
]

# -- Websites (WordPress) -------------------------------------------------------------------
ARTICLES += [
    DemoArticle(
        "updating-wordpress-and-plugins",
        "wordpress",
        help_keys=["wp.updates"],
        url_patterns=["*/wp-admin/update-core.php*", "*/wp-admin/plugins.php*"],
        en=(
            "Updating WordPress and plugins",
            """\
On maintenance plans we install WordPress core and plugin security updates for you every
week, after testing them on a copy of your site. You do not need to press **Update**.

If you manage updates yourself:

1. Take a backup first (**Tools → Backups**).
2. Update plugins one at a time and check the front page and checkout after each.
3. If the site breaks, restore the backup or deactivate the last updated plugin.

Never update on a Friday afternoon before a campaign.
""",
        ),
        fi=(
            "WordPressin ja lisäosien päivittäminen",
            """\
Ylläpitosopimuksissa asennamme WordPressin ja lisäosien tietoturvapäivitykset puolestasi
viikoittain, kun olemme testanneet ne sivustosi kopiolla. Sinun ei tarvitse painaa
**Päivitä**.

Jos hoidat päivitykset itse:

1. Ota ensin varmuuskopio (**Työkalut → Varmuuskopiot**).
2. Päivitä lisäosat yksi kerrallaan ja tarkista etusivu ja kassa jokaisen jälkeen.
3. Jos sivusto hajoaa, palauta varmuuskopio tai poista viimeksi päivitetty lisäosa
   käytöstä.

Älä päivitä perjantai-iltapäivänä ennen kampanjaa.
""",
        ),
        pl=(
            "Aktualizacja WordPressa i wtyczek",
            """\
W planach z utrzymaniem instalujemy za Ciebie co tydzień aktualizacje bezpieczeństwa
WordPressa i wtyczek, po przetestowaniu ich na kopii strony. Nie musisz klikać
**Aktualizuj**.

Jeśli aktualizujesz samodzielnie:

1. Najpierw zrób kopię zapasową (**Narzędzia → Kopie zapasowe**).
2. Aktualizuj wtyczki po jednej i po każdej sprawdź stronę główną i kasę.
3. Jeśli strona przestanie działać, przywróć kopię albo wyłącz ostatnio aktualizowaną
   wtyczkę.

Nie aktualizuj w piątek po południu przed kampanią.
""",
        ),
    ),
    DemoArticle(
        "editing-pages-and-menus",
        "wordpress",
        help_keys=["wp.pages"],
        en=(
            "Editing pages and the navigation menu",
            """\
- **Change a page's text:** open **Pages**, choose the page and edit the blocks. Choose
  **Update** to publish the change.
- **Add a page to the menu:** **Appearance → Menus**, tick the page on the left and choose
  **Add to menu**, then drag it into place.
- **Change the front page:** **Settings → Reading → Your homepage displays**.

Changes to the theme's look (colours, fonts, layout) are not part of support; we are
happy to send you an offer for them.
""",
        ),
        fi=(
            "Sivujen ja valikon muokkaaminen",
            """\
- **Sivun tekstin muuttaminen:** avaa **Sivut**, valitse sivu ja muokkaa lohkoja. Julkaise
  muutos valitsemalla **Päivitä**.
- **Sivun lisääminen valikkoon:** **Ulkoasu → Valikot**, rastita sivu vasemmalta ja valitse
  **Lisää valikkoon**, sitten vedä se paikalleen.
- **Etusivun vaihtaminen:** **Asetukset → Lukeminen → Kotisivullasi näytetään**.

Teeman ulkoasun muutokset (värit, fontit, asettelu) eivät kuulu tukeen; lähetämme niistä
mielellämme tarjouksen.
""",
        ),
        pl=(
            "Edycja stron i menu nawigacji",
            """\
- **Zmiana tekstu strony:** otwórz **Strony**, wybierz stronę i edytuj bloki. Wybierz
  **Aktualizuj**, aby opublikować zmianę.
- **Dodanie strony do menu:** **Wygląd → Menu**, zaznacz stronę po lewej i wybierz
  **Dodaj do menu**, a potem przeciągnij ją na miejsce.
- **Zmiana strony głównej:** **Ustawienia → Czytanie → Strona główna wyświetla**.

Zmiany wyglądu motywu (kolory, czcionki, układ) nie wchodzą w zakres wsparcia; chętnie
przygotujemy ofertę.
""",
        ),
    ),
    DemoArticle(
        "site-is-down",
        "wordpress",
        en=(
            "My website is down or shows an error",
            """\
If your site does not open at all, shows "Error establishing a database connection" or a
white page:

1. Check from another network (for example your phone's mobile data): the problem may be
   your own connection.
2. File a request with the exact error text and the time it started.
3. **Then call us.** A site that is down or under attack is handled at once, also outside
   office hours on maintenance plans.

Your own computers, network and e-mail programs are outside our support.
""",
        ),
        fi=(
            "Sivusto ei aukea tai näyttää virheen",
            """\
Jos sivustosi ei aukea lainkaan, näyttää virheen "Error establishing a database
connection" tai tyhjän valkoisen sivun:

1. Kokeile toisesta verkosta (esimerkiksi puhelimen mobiilidatalla): vika voi olla omassa
   yhteydessäsi.
2. Jätä pyyntö, jossa on virheen tarkka teksti ja alkamisaika.
3. **Soita sitten meille.** Kaatunut tai hyökkäyksen kohteena oleva sivusto hoidetaan
   heti, ylläpitosopimuksissa myös virka-ajan ulkopuolella.

Omat tietokoneesi, verkkosi ja sähköpostiohjelmasi eivät kuulu tukeemme.
""",
        ),
        pl=(
            "Strona nie działa lub pokazuje błąd",
            """\
Jeśli strona w ogóle się nie otwiera, pokazuje "Error establishing a database
connection" albo białą stronę:

1. Sprawdź z innej sieci (na przykład przez dane komórkowe w telefonie): problem może
   leżeć po stronie Twojego łącza.
2. Złóż zgłoszenie z dokładną treścią błędu i godziną, od której występuje.
3. **Potem zadzwoń do nas.** Strona, która nie działa lub jest atakowana, jest obsługiwana
   natychmiast, w planach z utrzymaniem także poza godzinami pracy.

Twoje komputery, sieć i programy pocztowe nie są objęte naszym wsparciem.
""",
        ),
    ),
]

# -- Membership registry --------------------------------------------------------------------
ARTICLES += [
    DemoArticle(
        "exporting-members-to-excel",
        "membership-registry",
        help_keys=["registry.export"],
        url_patterns=["*/members/export*"],
        en=(
            "Exporting members to Excel",
            """\
1. Open **Members** and narrow the list with a search or a saved search, for example
   *active members in the Helsinki branch*.
2. Choose **Export → Excel (XLSX)** or **CSV**.
3. Pick the columns to include. Personal identity numbers are left out unless your role
   allows them.

The file is created in the background for large registries; you get a download link when
it is ready. Exported files contain personal data: store them safely and delete them when
no longer needed.
""",
        ),
        fi=(
            "Jäsenten vienti Exceliin",
            """\
1. Avaa **Jäsenet** ja rajaa luetteloa haulla tai tallennetulla haulla, esimerkiksi
   *Helsingin osaston aktiiviset jäsenet*.
2. Valitse **Vie → Excel (XLSX)** tai **CSV**.
3. Valitse mukaan tulevat sarakkeet. Henkilötunnukset jätetään pois, ellei roolisi salli
   niitä.

Suurissa rekistereissä tiedosto tehdään taustalla, ja saat latauslinkin, kun se on
valmis. Viedyt tiedostot sisältävät henkilötietoja: säilytä ne turvallisesti ja poista,
kun niitä ei enää tarvita.
""",
        ),
        pl=(
            "Eksport członków do Excela",
            """\
1. Otwórz **Członkowie** i zawęź listę wyszukiwaniem lub zapisanym wyszukiwaniem, na
   przykład *aktywni członkowie oddziału w Krakowie*.
2. Wybierz **Eksport → Excel (XLSX)** lub **CSV**.
3. Wybierz kolumny do eksportu. Numery PESEL są pomijane, chyba że Twoja rola na to
   pozwala.

W dużych rejestrach plik powstaje w tle; gdy będzie gotowy, otrzymasz link do pobrania.
Wyeksportowane pliki zawierają dane osobowe: przechowuj je bezpiecznie i usuń, gdy nie są
już potrzebne.
""",
        ),
    ),
    DemoArticle(
        "membership-fee-invoices",
        "membership-registry",
        help_keys=["registry.fees"],
        en=(
            "Sending membership fee invoices",
            """\
Membership fees are invoiced in one run for everyone due:

1. **Fees → New invoicing run**: choose the fee period and the member groups.
2. Check the preview: the number of invoices, the total and members without an address.
3. Choose **Send**. Members with an e-mail address get the invoice by e-mail, the others
   by post or e-invoice.

Invoices stuck in the state *Sending* for more than an hour mean the invoicing service did
not answer; tell us the run's date and an example member number.
""",
        ),
        fi=(
            "Jäsenmaksulaskujen lähettäminen",
            """\
Jäsenmaksut laskutetaan yhdellä ajolla kaikille, joilla maksu erääntyy:

1. **Maksut → Uusi laskutusajo**: valitse maksukausi ja jäsenryhmät.
2. Tarkista esikatselu: laskujen määrä, loppusumma ja jäsenet, joilta puuttuu osoite.
3. Valitse **Lähetä**. Jäsenet, joilla on sähköpostiosoite, saavat laskun sähköpostilla,
   muut postitse tai verkkolaskuna.

Jos laskut jäävät yli tunniksi tilaan *Lähetetään*, laskutuspalvelu ei vastannut; kerro
meille ajon päivämäärä ja esimerkkijäsenen jäsennumero.
""",
        ),
        pl=(
            "Wysyłanie faktur za składki członkowskie",
            """\
Składki członkowskie fakturuje się jednym przebiegiem dla wszystkich, którym mija termin:

1. **Składki → Nowe fakturowanie**: wybierz okres składki i grupy członków.
2. Sprawdź podgląd: liczbę faktur, sumę i członków bez adresu.
3. Wybierz **Wyślij**. Członkowie z adresem e-mail dostaną fakturę e-mailem, pozostali
   pocztą lub jako e-fakturę.

Faktury, które dłużej niż godzinę są w stanie *Wysyłanie*, oznaczają, że usługa
fakturowania nie odpowiedziała; podaj datę przebiegu i przykładowy numer członka.
""",
        ),
    ),
    DemoArticle(
        "sending-text-messages",
        "membership-registry",
        help_keys=["registry.sms"],
        en=(
            "Sending text messages (SMS) to members",
            """\
1. Select the recipients with a search or a saved search, then **Send → Text message**.
2. Write the message. One SMS holds 160 characters; a longer message is sent in parts
   and each part is billed.
3. Choose the sender name (at most 11 letters, no spaces) and **Send**.

Messages that fail show the operator's reason in **Messages → Delivery report**. Members
without a mobile number are skipped. SMS credits are billed monthly on your invoice.
""",
        ),
        fi=(
            "Tekstiviestien lähettäminen jäsenille",
            """\
1. Valitse vastaanottajat haulla tai tallennetulla haulla ja sitten **Lähetä →
   Tekstiviesti**.
2. Kirjoita viesti. Yhteen tekstiviestiin mahtuu 160 merkkiä; pidempi viesti lähetetään
   osina, ja jokainen osa laskutetaan.
3. Valitse lähettäjän nimi (enintään 11 kirjainta, ei välilyöntejä) ja **Lähetä**.

Epäonnistuneiden viestien syy näkyy kohdassa **Viestit → Toimitusraportti**. Jäsenet,
joilla ei ole matkapuhelinnumeroa, ohitetaan. Tekstiviestit laskutetaan kuukausittain.
""",
        ),
        pl=(
            "Wysyłanie SMS-ów do członków",
            """\
1. Wybierz odbiorców wyszukiwaniem lub zapisanym wyszukiwaniem, a potem **Wyślij →
   Wiadomość SMS**.
2. Napisz wiadomość. Jeden SMS mieści 160 znaków; dłuższa wiadomość jest wysyłana w
   częściach, a każda część jest płatna.
3. Wybierz nazwę nadawcy (najwyżej 11 liter, bez spacji) i **Wyślij**.

Przyczynę niedostarczenia pokazuje **Wiadomości → Raport doręczeń**. Członkowie bez numeru
komórkowego są pomijani. SMS-y są rozliczane co miesiąc na fakturze.
""",
        ),
    ),
    DemoArticle(
        "saved-searches-and-reports",
        "membership-registry",
        help_keys=["registry.reports"],
        en=(
            "Saved searches and reports",
            """\
A saved search keeps your criteria, for example *members who have not paid this year's
fee*, so you can run it again with one click.

1. Build the search under **Members → Advanced search** and choose **Save search**.
2. Saved searches appear in the left column; share them with other main users if needed.
3. **Reports** turn a saved search into counts and charts: members by branch, by age
   group, new members per month.

When a report looks wrong, send us the saved search's name, the report criteria and two
example member numbers.
""",
        ),
        fi=(
            "Tallennetut haut ja raportit",
            """\
Tallennettu haku säilyttää hakuehtosi, esimerkiksi *jäsenet, jotka eivät ole maksaneet
tämän vuoden jäsenmaksua*, joten voit ajaa sen uudelleen yhdellä napsautuksella.

1. Tee haku kohdassa **Jäsenet → Tarkennettu haku** ja valitse **Tallenna haku**.
2. Tallennetut haut näkyvät vasemmassa palstassa; jaa ne tarvittaessa muille
   pääkäyttäjille.
3. **Raportit** muuttavat tallennetun haun luvuiksi ja kaavioiksi: jäsenet osastoittain,
   ikäryhmittäin, uudet jäsenet kuukausittain.

Jos raportti näyttää väärältä, lähetä meille tallennetun haun nimi, raportin ehdot ja
kaksi esimerkkijäsenen jäsennumeroa.
""",
        ),
        pl=(
            "Zapisane wyszukiwania i raporty",
            """\
Zapisane wyszukiwanie przechowuje kryteria, na przykład *członkowie, którzy nie zapłacili
tegorocznej składki*, więc możesz uruchomić je ponownie jednym kliknięciem.

1. Zbuduj wyszukiwanie w **Członkowie → Wyszukiwanie zaawansowane** i wybierz **Zapisz
   wyszukiwanie**.
2. Zapisane wyszukiwania są w lewej kolumnie; w razie potrzeby udostępnij je innym
   użytkownikom głównym.
3. **Raporty** zamieniają zapisane wyszukiwanie w liczby i wykresy: członkowie według
   oddziału, grupy wiekowej, nowi członkowie w miesiącu.

Gdy raport wygląda źle, prześlij nazwę zapisanego wyszukiwania, kryteria raportu i dwa
przykładowe numery członków.
""",
        ),
    ),
    DemoArticle(
        "bounced-emails-blocked-addresses",
        "membership-registry",
        help_keys=["registry.email.bounces"],
        en=(
            "E-mails bounce: blocked addresses",
            """\
When a member's mailbox rejects our messages several times, the address is **blocked**
and the registry stops sending to it, to protect the sending reputation of everyone.

- Blocked addresses are listed in **Messages → Bounces** with the receiving server's
  reason, for example *mailbox full* or *user unknown*.
- Fix a mistyped address on the member's card; the block is removed automatically.
- If the address is right and the mailbox works again, ask us to unblock it. We cannot
  unblock addresses the receiving server reports as non-existent.
""",
        ),
        fi=(
            "Sähköpostit palautuvat: estetyt osoitteet",
            """\
Kun jäsenen postilaatikko hylkää viestimme useita kertoja, osoite **estetään** ja rekisteri
lakkaa lähettämästä siihen, jotta kaikkien lähetysmaine säilyy.

- Estetyt osoitteet näkyvät kohdassa **Viestit → Palautukset** vastaanottavan palvelimen
  syyn kanssa, esimerkiksi *postilaatikko täynnä* tai *tuntematon käyttäjä*.
- Korjaa väärin kirjoitettu osoite jäsenen kortille; esto poistuu automaattisesti.
- Jos osoite on oikein ja postilaatikko toimii taas, pyydä meitä poistamaan esto. Emme voi
  poistaa estoa osoitteilta, joita vastaanottava palvelin ei tunne.
""",
        ),
        pl=(
            "E-maile wracają: zablokowane adresy",
            """\
Gdy skrzynka członka kilka razy odrzuci nasze wiadomości, adres zostaje **zablokowany** i
rejestr przestaje na niego wysyłać, aby chronić reputację nadawcy wszystkich klientów.

- Zablokowane adresy są w **Wiadomości → Zwroty** razem z powodem podanym przez serwer
  odbiorcy, na przykład *skrzynka pełna* lub *nieznany użytkownik*.
- Popraw błędnie wpisany adres na karcie członka; blokada zniknie automatycznie.
- Jeśli adres jest poprawny, a skrzynka znów działa, poproś nas o odblokowanie. Nie możemy
  odblokować adresów, których serwer odbiorcy nie zna.
""",
        ),
    ),
]

# -- Odoo ERP -------------------------------------------------------------------------------
ARTICLES += [
    DemoArticle(
        "correcting-a-sent-invoice",
        "odoo",
        help_keys=["odoo.invoices.credit"],
        en=(
            "Correcting a sent invoice with a credit note",
            """\
A posted invoice cannot be edited: correct it with a credit note.

1. Open the invoice in **Accounting → Customers → Invoices**.
2. Choose **Credit note**. Pick *Full refund and new draft invoice* to fix wrong rows or
   a wrong customer, or *Partial refund* to reduce the amount.
3. Confirm the new draft invoice after correcting it and send it to the customer.

The credit note and the original invoice are reconciled automatically, so the customer
does not see a double debt.
""",
        ),
        fi=(
            "Lähetetyn laskun korjaaminen hyvityslaskulla",
            """\
Kirjattua laskua ei voi muokata: korjaa se hyvityslaskulla.

1. Avaa lasku kohdassa **Kirjanpito → Asiakkaat → Laskut**.
2. Valitse **Hyvityslasku**. Valitse *Täysi hyvitys ja uusi laskuluonnos*, jos rivit tai
   asiakas ovat väärin, tai *Osittainen hyvitys* summan pienentämiseen.
3. Vahvista uusi laskuluonnos korjauksen jälkeen ja lähetä se asiakkaalle.

Hyvityslasku ja alkuperäinen lasku täsmäytetään automaattisesti, joten asiakkaalle ei
näy kaksinkertaista saatavaa.
""",
        ),
        pl=(
            "Korekta wysłanej faktury",
            """\
Zaksięgowanej faktury nie można edytować: skoryguj ją fakturą korygującą.

1. Otwórz fakturę w **Księgowość → Klienci → Faktury**.
2. Wybierz **Korekta**. Wybierz *Pełna korekta i nowy projekt faktury*, gdy pozycje lub
   klient są błędne, albo *Częściowa korekta*, aby zmniejszyć kwotę.
3. Po poprawieniu zatwierdź nowy projekt faktury i wyślij go klientowi.

Faktura korygująca i pierwotna faktura są uzgadniane automatycznie, więc klient nie widzi
podwójnej należności.
""",
        ),
    ),
    DemoArticle(
        "importing-bank-statements",
        "odoo",
        help_keys=["odoo.bank.import"],
        en=(
            "Importing bank statements",
            """\
1. Download the statement from your online bank as **camt.053 (XML)**; most Finnish and
   Polish banks offer it. CSV works too, but needs a column mapping.
2. In Odoo open **Accounting → Dashboard**, the bank journal's menu and **Import
   statement**.
3. Reconcile: Odoo matches payments to open invoices by reference number and amount;
   check the rest by hand.

A statement that is "already imported" has the same bank reference as an earlier file.
""",
        ),
        fi=(
            "Tiliotteiden tuonti",
            """\
1. Lataa tiliote verkkopankista **camt.053 (XML)** -muodossa; useimmat suomalaiset ja
   puolalaiset pankit tarjoavat sen. CSV käy myös, mutta vaatii sarakkeiden määrityksen.
2. Avaa Odoossa **Kirjanpito → Kojelauta**, pankkipäiväkirjan valikko ja **Tuo tiliote**.
3. Täsmäytä: Odoo yhdistää maksut avoimiin laskuihin viitenumeron ja summan perusteella;
   tarkista loput käsin.

Jos tiliote on "jo tuotu", sillä on sama pankkiviite kuin aiemmalla tiedostolla.
""",
        ),
        pl=(
            "Import wyciągów bankowych",
            """\
1. Pobierz wyciąg z bankowości internetowej w formacie **camt.053 (XML)**; oferuje go
   większość polskich i fińskich banków. CSV też działa, ale wymaga mapowania kolumn.
2. W Odoo otwórz **Księgowość → Pulpit**, menu dziennika bankowego i **Importuj wyciąg**.
3. Uzgodnij: Odoo łączy płatności z otwartymi fakturami po numerze referencyjnym i kwocie;
   resztę sprawdź ręcznie.

Wyciąg "już zaimportowany" ma tę samą referencję bankową co wcześniejszy plik.
""",
        ),
    ),
    DemoArticle(
        "inventory-adjustments",
        "odoo",
        help_keys=["odoo.inventory"],
        en=(
            "Stock counts and inventory adjustments",
            """\
When the stock in Odoo does not match the shelf:

1. Open **Inventory → Operations → Physical inventory**.
2. Filter by location or product, and type the counted quantity for each row.
3. Choose **Apply**. Odoo books the difference to the inventory loss location, so the
   stock value in accounting follows.

Count at a quiet time: deliveries confirmed during the count change the expected
quantity.
""",
        ),
        fi=(
            "Varastosaldon korjaaminen ja inventaario",
            """\
Kun varastosaldo Odoossa ei vastaa hyllyä:

1. Avaa **Varasto → Toiminnot → Inventaario**.
2. Suodata sijainnin tai tuotteen mukaan ja kirjoita kullekin riville laskettu määrä.
3. Valitse **Käytä**. Odoo kirjaa erotuksen inventaariohävikin sijaintiin, joten
   varaston arvo kirjanpidossa seuraa mukana.

Laske hiljaiseen aikaan: inventaarion aikana vahvistetut toimitukset muuttavat
odotettua määrää.
""",
        ),
        pl=(
            "Inwentaryzacja i korekta stanów magazynowych",
            """\
Gdy stan magazynowy w Odoo nie zgadza się z półką:

1. Otwórz **Magazyn → Operacje → Inwentaryzacja fizyczna**.
2. Filtruj według lokalizacji lub produktu i wpisz policzoną ilość w każdym wierszu.
3. Wybierz **Zastosuj**. Odoo księguje różnicę na lokalizację strat inwentaryzacyjnych,
   więc wartość magazynu w księgowości jest zgodna.

Licz w spokojnym czasie: dostawy zatwierdzone w trakcie liczenia zmieniają oczekiwaną
ilość.
""",
        ),
    ),
]

# -- Field service app ----------------------------------------------------------------------
ARTICLES += [
    DemoArticle(
        "working-offline",
        "field-service",
        help_keys=["field.offline"],
        en=(
            "Working without a network connection",
            """\
The mobile app keeps today's work orders on the phone, so technicians can work in
basements and on the road without signal.

- Open the app once while online in the morning: the day's work orders are downloaded.
- Notes, photos, used parts and signatures are saved on the phone and sent when the
  connection returns. A cloud icon with a number shows what is waiting.
- Do not sign out while items are waiting, or they are lost.
""",
        ),
        fi=(
            "Työskentely ilman verkkoyhteyttä",
            """\
Mobiilisovellus pitää päivän työmääräykset puhelimessa, joten asentajat voivat työskennellä
kellareissa ja tien päällä ilman kenttää.

- Avaa sovellus aamulla kerran verkkoyhteyden ollessa päällä: päivän työmääräykset
  ladataan.
- Muistiinpanot, valokuvat, käytetyt osat ja allekirjoitukset tallennetaan puhelimeen ja
  lähetetään, kun yhteys palaa. Pilvikuvake ja numero kertovat, mitä odottaa.
- Älä kirjaudu ulos, kun tietoja odottaa lähetystä, tai ne katoavat.
""",
        ),
        pl=(
            "Praca bez połączenia z siecią",
            """\
Aplikacja mobilna przechowuje dzisiejsze zlecenia w telefonie, więc serwisanci mogą
pracować w piwnicach i w trasie bez zasięgu.

- Rano otwórz aplikację raz z dostępem do sieci: zlecenia na dany dzień zostaną pobrane.
- Notatki, zdjęcia, zużyte części i podpisy są zapisywane w telefonie i wysyłane po
  powrocie połączenia. Ikona chmury z liczbą pokazuje, co czeka.
- Nie wylogowuj się, gdy coś czeka na wysłanie, bo dane przepadną.
""",
        ),
    ),
    DemoArticle(
        "assigning-work-orders",
        "field-service",
        help_keys=["field.dispatch"],
        en=(
            "Assigning work orders to technicians",
            """\
Dispatchers plan the day on the **Schedule** board.

1. New work orders wait in the *Unassigned* column on the left.
2. Drag a work order onto a technician's row and time slot. The app warns about overlaps
   and missing skills.
3. The technician gets a push notification; the customer gets an SMS with the time window
   if *Notify customer* is on.

To move a visit, drag it to another slot; the customer is told the new time.
""",
        ),
        fi=(
            "Työmääräysten jakaminen asentajille",
            """\
Työnjohtajat suunnittelevat päivän **Aikataulu**-näkymässä.

1. Uudet työmääräykset odottavat vasemmalla sarakkeessa *Jakamatta*.
2. Vedä työmääräys asentajan riville ja aikaväliin. Sovellus varoittaa päällekkäisyyksistä
   ja puuttuvista osaamisista.
3. Asentaja saa ilmoituksen puhelimeen; asiakas saa tekstiviestin aikaikkunasta, jos
   *Ilmoita asiakkaalle* on päällä.

Siirrä käyntiä vetämällä se toiseen aikaväliin; asiakkaalle kerrotaan uusi aika.
""",
        ),
        pl=(
            "Przydzielanie zleceń serwisantom",
            """\
Dyspozytorzy planują dzień na tablicy **Harmonogram**.

1. Nowe zlecenia czekają w kolumnie *Nieprzydzielone* po lewej.
2. Przeciągnij zlecenie na wiersz serwisanta i przedział czasu. Aplikacja ostrzega o
   nakładaniu się wizyt i brakujących umiejętnościach.
3. Serwisant dostaje powiadomienie push; klient dostaje SMS z przedziałem czasu, jeśli
   włączono *Powiadom klienta*.

Aby przełożyć wizytę, przeciągnij ją w inne miejsce; klient zostanie poinformowany o
nowym terminie.
""",
        ),
    ),
    DemoArticle(
        "payment-gateway-outage-runbook",
        "woocommerce",
        is_internal=True,
        en=(
            "Internal: payment gateway outage runbook",
            """\
For staff only. When several shops report failed payments within an hour:

1. Check the providers' status pages and our monitoring dashboard.
2. Post an incident notice for the affected customers.
3. Switch affected shops to the backup provider if their contract includes it.
4. Call the main users of shops with a campaign running.
""",
        ),
        fi=(
            "Sisäinen: maksupalvelun katkon toimintaohje",
            """\
Vain henkilöstölle. Kun useampi kauppa ilmoittaa epäonnistuneista maksuista tunnin sisällä:

1. Tarkista maksupalveluiden tilasivut ja oma valvontanäkymämme.
2. Julkaise häiriötiedote asianomaisille asiakkaille.
3. Vaihda kaupat varamaksupalveluun, jos sopimus sisältää sen.
4. Soita niiden kauppojen pääkäyttäjille, joilla on kampanja käynnissä.
""",
        ),
        pl=(
            "Wewnętrzne: procedura przy awarii operatora płatności",
            """\
Tylko dla pracowników. Gdy kilka sklepów w ciągu godziny zgłasza nieudane płatności:

1. Sprawdź strony statusu operatorów i nasz panel monitoringu.
2. Opublikuj komunikat o awarii dla klientów, których to dotyczy.
3. Przełącz sklepy na zapasowego operatora, jeśli umowa to obejmuje.
4. Zadzwoń do użytkowników głównych sklepów, które mają trwającą kampanię.
""",
        ),
    ),
]
