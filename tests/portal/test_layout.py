"""The page frame of base.html: the kit's header, navigation per role with the current page
marked, the footer's links, the skip link; static files of the kit only, from this site."""

from django.test import Client

from tests.factories import CounsellorFactory, ProgrammeManagerFactory


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_navigation_marks_the_current_page_only(db):
    counsellor = CounsellorFactory()
    html = page(counsellor, "/operatore/")
    assert 'aria-current="page">Le mie persone</a>' in html
    assert 'aria-current="page">Opportunità</a>' not in html
    html = page(counsellor, "/opportunita/")
    assert 'aria-current="page">Opportunità</a>' in html
    assert 'aria-current="page">Le mie persone</a>' not in html


def test_each_role_sees_its_own_navigation(db):
    html = page(ProgrammeManagerFactory(), "/cruscotto/")
    assert "Cruscotto</a>" in html and "Le mie persone" not in html


def test_frame_has_skip_link_header_and_footer_and_no_outside_resource(db):
    html = page(CounsellorFactory(), "/operatore/")
    assert '<a class="visually-hidden-focusable" href="#contenuto">Vai al contenuto</a>' in html
    assert '<main id="contenuto"' in html
    assert 'class="it-header-wrapper' in html and 'class="it-footer' in html
    assert 'href="/static/bootstrap-italia/css/bootstrap-italia.min.css"' in html
    assert 'href="/accessibilita/">Dichiarazione di accessibilità</a>' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
