from tests.factories import OfficialFactory, SectorFactory, make_release


def test_release_renders(client, newsroom):
    official = OfficialFactory(name="Eko S.A. Cahyanto")
    sector = SectorFactory(name="Steel")
    release = make_release(
        "Steel talks",
        officials=[(official, "Secretary General", True)],
        sectors=[sector],
    )
    response = client.get(release.url)
    assert response.status_code == 200
    assert b"Secretary General" in response.content
