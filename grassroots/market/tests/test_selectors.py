from ..selectors import EntityFilters, entity_pool
from .support import make_entity


def test_the_draw_pool_holds_operating_entities_in_id_order_with_class_region_and_grid(world):
    shop = make_entity(world, 1)
    restaurant = make_entity(world, 2, in_grid_b=True, food_class="catering_large", industry_code="H6210")
    make_entity(world, 3, status="deregistered")

    assert entity_pool(EntityFilters()) == [
        (shop.pk, "A", world.village_a.code, world.grid_a.pk),
        (restaurant.pk, "B", world.village_b.code, world.grid_b.pk),
    ]
    assert [row[0] for row in entity_pool(EntityFilters(industry="H62"))] == [restaurant.pk]
    assert [row[0] for row in entity_pool(EntityFilters(region=world.village_a.code))] == [shop.pk]
